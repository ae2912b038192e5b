// None <-> nil.

extension Optional: FromPython where Wrapped: FromPython {
    public static var pythonTypeName: String { "\(Wrapped.pythonTypeName) | None" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> Wrapped? {
        if object.isNone { return nil }
        do { return try Wrapped.fromPython(object) }
        catch var e as ConversionError {
            if case .wrongType(let expected, let got) = e.kind {
                e.kind = .wrongType(expected: "\(expected) or None", got: got)
            }
            throw e
        }
    }
}

extension Optional: ToPython where Wrapped: ToPython {
    @inlinable
    public func toPython() throws -> NewReference {
        switch self {
        case .none: return NewReference(owning: sb_newref(sb_None()))
        case .some(let value): return try value.toPython()
        }
    }
}
