// PythonObject passes through unchanged: the escape hatch for any type.

extension PythonObject: FromPython, ToPython {
    public static var pythonTypeName: String { "object" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> PythonObject {
        object.owned()
    }

    @inlinable
    public func toPython() throws -> NewReference { newReference() }
}

/// Python's `None` as a return value: `-> PythonNone` or `return .none`.
public struct PythonNone: ToPython, Sendable {
    public init() {}
    @inlinable
    public func toPython() throws -> NewReference { NewReference(owning: sb_newref(sb_None())) }
}
