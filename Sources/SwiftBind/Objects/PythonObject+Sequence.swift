// Iteration: `for x in object`, `object.map { … }`, `object.sorted()`.
//
// `Sequence`'s iterator cannot throw.  When Python raises (the object is
// not iterable, or `__next__` raises part-way), iteration ends there and
// the exception goes to `sys.unraisablehook` (printed by default); nothing
// traps.  To get the exception, iterate with ``PythonObject/checkedIterator()``
// or ``PythonObject/iterate(_:)``, or collect with ``PythonObject/elements()``.

extension PythonObject: Sequence {
    /// `iter(self)`, stepping without throwing (see above).
    public func makeIterator() -> PythonIterator {
        PythonIterator(checked: try? checkedIterator(), reportingFor: self)
    }
}

/// The iterator behind `for x in object`: ends at the first Python error,
/// which it reports to `sys.unraisablehook`.
public struct PythonIterator: IteratorProtocol {
    var checked: PythonCheckedIterator?

    init(checked: PythonCheckedIterator?, reportingFor object: PythonObject) {
        self.checked = checked
        if checked == nil {
            reportUnraisable(PythonException(.typeError, "'\(object.pythonTypeName)' object is not iterable"),
                             context: "iterating")
        }
    }

    public mutating func next() -> PythonObject? {
        guard var c = checked else { return nil }
        do {
            let item = try c.next()
            checked = item == nil ? nil : c
            return item
        } catch {
            checked = nil
            reportUnraisable(error, context: "iterating")
            return nil
        }
    }
}

/// An iterator whose steps throw what Python raises.
///
/// ```swift
/// var it = try reader.checkedIterator()
/// while let row = try it.next() { … }
/// ```
public struct PythonCheckedIterator {
    let iterator: PythonObject

    /// The next item, nil at the end; throws what `__next__` raises.
    ///
    /// The corresponding C function is `PyIter_Next`.
    public mutating func next() throws -> PythonObject? {
        if let item = PyIter_Next(iterator.unsafePointer) { return PythonObject(owning: item) }
        // PyIter_Next returns NULL both at the end and on error.
        if exceptionIsPending() { throw PythonException.fetch() }
        return nil
    }
}

extension PythonObject {
    /// `iter(self)` as an iterator whose steps throw.
    ///
    /// - Throws: `TypeError` when the object is not iterable.
    ///
    /// The corresponding C function is `PyObject_GetIter`.
    public func checkedIterator() throws -> PythonCheckedIterator {
        PythonCheckedIterator(iterator: PythonObject(owning: try checkedNew(PyObject_GetIter(unsafePointer))))
    }

    /// `list(self)` as a Swift array, throwing what iteration raises.
    public func elements() throws -> [PythonObject] {
        var out: [PythonObject] = []
        var it = try checkedIterator()
        while let item = try it.next() { out.append(item) }
        return out
    }
}
