/// A Python tuple with typed elements: `PythonTuple<Int, String>`.
///
/// Swift tuples cannot conform to protocols, so this wrapper carries them
/// across: take `(pair: PythonTuple<Int, Double>)` as a parameter and read
/// `pair.values.0`, or `return PythonTuple(1, "one")`.  It converts from a
/// tuple or list of exactly the right length.
public struct PythonTuple<each T> {
    public var values: (repeat each T)

    @inlinable
    public init(_ values: repeat each T) { self.values = (repeat each values) }
}

extension PythonTuple: FromPython where repeat each T: FromPython {
    public static var pythonTypeName: String {
        var names: [String] = []
        for name in repeat (each T).pythonTypeName { names.append(name) }
        return "tuple[\(names.joined(separator: ", "))]"
    }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> Self {
        let p = object.unsafePointer
        var count = 0
        for _ in repeat (each T).self { count += 1 }
        let isTuple = sb_tuple_check(p) != 0
        guard isTuple || sb_list_check(p) != 0 else {
            throw ConversionError.wrongType(expected: pythonTypeName, got: object)
        }
        let size = isTuple ? sb_tuple_size(p) : sb_list_size(p)
        guard size == count else {
            throw ConversionError(.invalidValue("expected a tuple of \(count) items, got \(size)"))
        }
        var index = 0
        func next<E: FromPython>(_ type: E.Type) throws -> E {
            defer { index += 1 }
            // Re-check: converting an earlier list item may have run Python code.
            let size = isTuple ? sb_tuple_size(p) : sb_list_size(p)
            guard index < size else { throw ConversionError(.invalidValue("sequence changed size during conversion")) }
            // Held while it converts: Python code run by the conversion may
            // empty the list and free the item.
            let item = sb_newref(isTuple ? sb_tuple_get(p, index)! : sb_list_get(p, index)!)!
            defer { sb_decref(item) }
            do { return try E.fromPython(BorrowedObject(item)) }
            catch let e as ConversionError { throw e.at("[\(index)]") }
        }
        return PythonTuple(repeat try next((each T).self))
    }
}

extension PythonTuple: ToPython where repeat each T: ToPython {
    @inlinable
    public func toPython() throws -> NewReference {
        var count = 0
        for _ in repeat (each T).self { count += 1 }
        let tuple = NewReference(owning: try checkedNew(PyTuple_New(count)))
        var index = 0
        for value in repeat each values {
            // PyTuple_SET_ITEM steals the item reference.
            sb_tuple_set_steal(tuple.pointer, index, try value.toPython().take())
            index += 1
        }
        return tuple
    }
}

/// A tuple of `Sendable` values is `Sendable`, so a job or an async
/// function can return one: `return PythonTuple(count, name)`.
extension PythonTuple: Sendable where repeat each T: Sendable {}
