// Hooks that are C slots rather than dunder methods: cyclic GC, the buffer
// protocol, iteration.

extension ClassBuilder {
    /// Makes the type take part in Python's cyclic garbage collector.
    /// Declare it when `T` holds Python objects (a `PythonObject`, a list
    /// of them, ...): `traverse` reports each one, `clear` drops them so a
    /// reference cycle through Python objects can be collected.
    ///
    ///     c.gc(traverse: { node, visit in visit(node.children) },
    ///          clear: { node in node.children = nil })
    public func gc(traverse: @escaping (T, PythonVisitor) -> Void, clear: @escaping (inout T) -> Void) {
        record.traverse = { object, visitor in
            traverse(Instance.payload(object, T.self).pointee, visitor)
            return 0
        }
        record.clear = { object in clear(&Instance.payload(object, T.self).pointee) }
    }

    #if !SWIFTBIND_NO_BUFFER_API  // the buffer protocol: limited API 3.11+
    /// The buffer protocol (`memoryview(x)`, NumPy, `bytes(x)`): `get`
    /// fills `view` (for example with `PyBuffer_FillInfo`, passing
    /// `exporter` as the owner) or throws (`BufferError`); `release` runs
    /// when the consumer is done.
    ///
    /// The corresponding C slots are `bf_getbuffer` and `bf_releasebuffer`.
    public func buffer(get: @escaping (_ exporter: PyObjectPointer, inout T, UnsafeMutablePointer<Py_buffer>, _ flags: Int32) throws -> Void,
                       release: ((inout T, UnsafeMutablePointer<Py_buffer>) -> Void)? = nil) {
        let cls = record
        record.getBuffer = { object, view, flags in
            do {
                try get(object, &cls.payload(T.self, of: object).pointee, view, flags)
                return 0
            } catch {
                return raiseInPythonStatus(error)
            }
        }
        if let release {
            record.releaseBuffer = { object, view in release(&Instance.payload(object, T.self).pointee, view) }
        }
    }
    #endif

    /// `iter(x)`: the Swift sequence `body` returns becomes a Python
    /// iterator; its elements convert with `ToPython` as they are reached.
    /// The Swift iterator is stored inside the Python iterator object.
    ///
    ///     c.iterate { (bag: Bag) in bag.items }
    @inlinable
    public func iterate<S: Sequence>(_ body: @escaping (T) throws -> S) where S.Element: ToPython {
        guard let iterator = makeIteratorType(S.Iterator.self) else { return }
        let cls = record
        let element = ResultHint(resolve: { "collections.abc.Iterator[\(pythonTypeHint(S.Element.self, .result))]" })
        addMethod("__iter__()", doc: nil, parameters: [], returns: element) { slots, _ in
            do {
                let receiver = try cls.receiver(T.self, of: slots.unsafelyUnwrapped[0].unsafelyUnwrapped)
                return try iterator.wrap(try body(receiver.pointee).makeIterator()).take()
            } catch {
                return raiseInPython(error)
            }
        }
    }

    @inlinable
    func makeIteratorType<I: IteratorProtocol>(_ type: I.Type) -> ClassRecord? where I.Element: ToPython {
        makeIteratorType(I.self, destroy: ClassRecord.destroyer(I.self)) { object in
            guard let element = Instance.payload(object, I.self).pointee.next() else { return nil }
            do { return try element.toPython().take() } catch { return raiseInPython(error) }
        }
    }

    @usableFromInline
    func makeIteratorType<I>(_ type: I.Type, destroy: @escaping (PyObjectPointer) -> Void,
                             next: @escaping (PyObjectPointer) -> PyObjectPointer?) -> ClassRecord? {
        let iterator = ClassRecord(I.self, name: "\(name)Iterator", moduleName: module.name, doc: nil, base: nil,
                                   destroy: destroy, iterNext: next)
        do {
            record.keepAlive.append(try ClassTypeFactory.make(iterator, module: module, swiftType: I.self, extraSlots: [
                PyType_Slot(slot: Py_tp_iter, pfunc: unsafeBitCast(PyObject_SelfIter as @convention(c) (PyObjectPointer?) -> PyObjectPointer?, to: UnsafeMutableRawPointer.self)),
                PyType_Slot(slot: Py_tp_iternext, pfunc: unsafeBitCast(iterNextTrampoline, to: UnsafeMutableRawPointer.self)),
            ], constructible: false))
            return iterator
        } catch {
            module.record(error)
            return nil
        }
    }
}

/// `tp_iternext` of iterator types: NULL without an exception set ends
/// the iteration.
let iterNextTrampoline: @convention(c) (PyObjectPointer?) -> PyObjectPointer? = { object in
    guard let object, let raw = Instance.record(object) else { return nil }
    return Unmanaged<ClassRecord>.fromOpaque(raw)._withUnsafeGuaranteedRef { $0.iterNext!(object) }
}
