// Python set/frozenset <-> Set.

extension Set: FromPython where Element: FromPython {
    public static var pythonTypeName: String { "set[\(Element.pythonTypeName)]" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> Set<Element> {
        let p = object.unsafePointer
        guard sb_anyset_check(p) != 0 else {
            throw ConversionError.wrongType(expected: pythonTypeName, got: object)
        }
        guard let iterator = PyObject_GetIter(p) else { throw PythonException.fetch() }
        defer { sb_decref(iterator) }
        var result = Set<Element>(minimumCapacity: PySet_Size(p))
        while let item = PyIter_Next(iterator) {
            defer { sb_decref(item) }
            do { result.insert(try Element.fromPython(BorrowedObject(item))) }
            catch let e as ConversionError { throw e.at(" element \(shortRepr(BorrowedObject(item)))") }
        }
        if exceptionIsPending() { throw PythonException.fetch() }  // PyIter_Next: NULL for end and for error
        return result
    }
}

extension Set: ToPython where Element: ToPython {
    @inlinable
    public func toPython() throws -> NewReference {
        let set = NewReference(owning: try checkedNew(PySet_New(nil)))
        for element in self {
            let e = try element.toPython()
            try checkedStatus(PySet_Add(set.pointer, e.pointer))
        }
        return set
    }
}
