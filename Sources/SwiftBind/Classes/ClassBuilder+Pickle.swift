// Pickling (pickle, copy, multiprocessing, concurrent.futures).
//
// Every type gets `__reduce__` and `__setstate__`:
//
//     obj.__reduce__() == (copyreg.__newobj__, (type(obj),), (state, instance __dict__ or None))
//
// `state` is, by default, a dict of every declared property; unpickling runs
// the initializer with the arguments named like properties and then sets
// the remaining writable properties.  This works whenever every initializer
// parameter has a property of the same name (or a default).  Otherwise
// declare the state explicitly with `c.pickle(state:restore:)`.

extension ClassBuilder {
    /// Pickles `T` through a state value of your choosing.
    ///
    ///     c.pickle(state: { $0.items }, restore: { (items: [Int]) in Bag(items) })
    public func pickle<S: PythonConvertible>(state: @escaping (T) throws -> S, restore: @escaping (S) throws -> T) {
        let cls = record
        record.pickleState = { object in try state(try cls.payload(T.self, of: object).pointee).pythonObject() }
        record.pickleRestore = { object, value in
            cls.initialize(object, with: try restore(try S.convert(value.owned(), what: "\(cls.name) pickle state")))
        }
    }

    /// Adds `__reduce__` and `__setstate__` (called after the body ran).
    func finish() {
        let cls = record
        addMethod("__reduce__()", doc: "Pickling support.", parameters: []) { slots, _ in
            do { return try cls.reduce(slots.unsafelyUnwrapped[0].unsafelyUnwrapped).newReference().take() }
            catch { return raiseInPython(error) }
        }
        addMethod("__setstate__(state, /)", doc: "Unpickling support.", parameters: [ParameterInfo(PythonObject.self)]) { slots, _ in
            do {
                try cls.setState(slots.unsafelyUnwrapped[0].unsafelyUnwrapped, BorrowedObject(slots.unsafelyUnwrapped[1].unsafelyUnwrapped))
                return sb_newref(sb_None())
            } catch { return raiseInPython(error) }
        }
    }
}

extension ClassRecord {
    /// Initializer parameter names when pickling by properties works, else
    /// the reason it does not.
    func defaultPickleParameters() -> Result<[String], PythonException> {
        guard let signature = initializerSignature else {
            return .failure(PythonException(.typeError, "cannot pickle '\(qualifiedName)' object: it has no initializer; declare c.pickle(state:restore:)"))
        }
        let names = Set(allProperties.map(\.name))
        var result: [String] = []
        for p in signature.parameters {
            if names.contains(p.name) { result.append(p.name) }
            else if p.defaultLiteral == nil || p.kind == .varPositional || p.kind == .varKeyword {
                return .failure(PythonException(.typeError, "cannot pickle '\(qualifiedName)' object: initializer parameter '\(p.name)' has no property of the same name; declare c.pickle(state:restore:)"))
            }
        }
        return .success(result)
    }

    func reduce(_ object: PyObjectPointer) throws -> PythonObject {
        guard accepts(object) else { throw wrongType(object) }
        guard Instance.record(object) != nil else { throw notInitialized(object) }
        let state: PythonObject
        if let pickleState {
            state = try pickleState(object)
        } else {
            if case .failure(let e) = defaultPickleParameters() { throw e }
            state = PythonObject(owning: try checkedNew(PyDict_New()))
            for p in allProperties {
                guard let value = p.get(object) else { throw PythonException.fetch() }
                let owned = PythonObject(owning: value)
                try checkedStatus(PyDict_SetItemString(state.unsafePointer, p.name, owned.unsafePointer))
            }
        }
        let self_ = PythonObject(borrowing: object)
        let dict = self_.hasAttribute("__dict__") ? try self_.attribute("__dict__") : PythonObject.none
        let newobj = try Python.import("copyreg").attribute("__newobj__")
        let type = PythonObject(borrowing: sb_type_as_object(sb_type(object)))
        return try PythonTuple(newobj, PythonTuple(type), PythonTuple(state, dict)).pythonObject()
    }

    func setState(_ object: PyObjectPointer, _ stateTuple: BorrowedObject) throws {
        guard accepts(object) else { throw wrongType(object) }
        let (state, dict) = try PythonTuple<PythonObject, PythonObject>.convert(stateTuple.owned(), what: "\(name).__setstate__() argument 'state'").values
        if let pickleRestore {
            try pickleRestore(object, state.borrowed)
        } else {
            let names: [String]
            switch defaultPickleParameters() {
            case .success(let n): names = n
            case .failure(let e): throw e
            }
            guard let initializer else { throw noInitializer() }
            // initializer(self, **{name: state[name]})
            let kwnames = PythonObject(owning: try checkedNew(PyTuple_New(names.count)))
            var values: [PythonObject] = []
            for (i, n) in names.enumerated() {
                sb_tuple_set_steal(kwnames.unsafePointer, i, try n.toPython().take())
                values.append(try state.item(n))
            }
            var argv: [PyObjectPointer?] = [object] + values.map { $0.unsafePointer }
            let result = argv.withUnsafeMutableBufferPointer { initializer.call(UnsafePointer($0.baseAddress!), 1, names.isEmpty ? nil : kwnames.unsafePointer) }
            _ = PythonObject(owning: try checkedNew(result))
            for p in allProperties where p.set != nil && !names.contains(p.name) {
                guard PyMapping_HasKeyString(state.unsafePointer, p.name) != 0 else { continue }
                let value = try state.item(p.name)
                try checkedStatus(p.set!(object, value.unsafePointer))
            }
        }
        if !dict.isNone {
            _ = try PythonObject(borrowing: object).attribute("__dict__").callMethod("update", dict)
        }
    }
}
