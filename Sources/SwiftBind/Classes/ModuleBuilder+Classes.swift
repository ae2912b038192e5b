extension ModuleBuilder {
    /// Declares a Python class backed by the Swift type `T`: a struct (its
    /// value is stored inside the Python object) or a class (the Python
    /// object holds a strong reference; identity round-trips).
    ///
    /// ```swift
    /// m.class(Counter.self, "Counter", doc: "Counts things.") { c in
    ///     c.initializer("__init__(name)") { (name: String) in Counter(name: name) }
    ///     c.method("bump(by=1)") { (self: Counter, by: Int) in self.bump(by) }
    /// }
    /// ```
    ///
    /// Conform `T` to ``PythonClass`` to pass instances to and from `def`
    /// functions and methods.  Returns the type object.
    @discardableResult @inlinable
    public func `class`<T>(_ type: T.Type, _ name: String, doc: String? = nil,
                           _ body: (ClassBuilder<T>) throws -> Void) -> PythonObject? {
        declareClass(type, name, doc: doc, base: nil, destroy: ClassRecord.destroyer(T.self), body)
    }

    /// Declares a Python class for a Swift subclass `T` of the already
    /// declared class `B`: the Python type derives from `B`'s, so
    /// `isinstance(circle, Shape)` holds and `Shape`'s methods and
    /// properties apply to `Circle` instances.
    @discardableResult @inlinable
    public func `class`<T: AnyObject, B: AnyObject>(_ type: T.Type, _ name: String, base: B.Type, doc: String? = nil,
                                                    _ body: (ClassBuilder<T>) throws -> Void) -> PythonObject? {
        declareSubclass(type, name, base: B.self, isSubclass: T.self is B.Type, doc: doc,
                        destroy: ClassRecord.destroyer(T.self), body)
    }

    @usableFromInline
    func declareSubclass<T>(_ type: T.Type, _ name: String, base: Any.Type, isSubclass: Bool, doc: String?,
                            destroy: @escaping (PyObjectPointer) -> Void,
                            _ body: (ClassBuilder<T>) throws -> Void) -> PythonObject? {
        guard isSubclass else {
            record(PythonException(.typeError, "swiftbind: \(self.name).\(name): \(T.self) is not a subclass of \(base)"))
            return nil
        }
        do {
            return declareClass(type, name, doc: doc, base: try ClassRegistry.record(for: base), destroy: destroy, body)
        } catch {
            record(error)
            return nil
        }
    }

    @usableFromInline
    func declareClass<T>(_ type: T.Type, _ name: String, doc: String?, base: ClassRecord?,
                         destroy: @escaping (PyObjectPointer) -> Void,
                         _ body: (ClassBuilder<T>) throws -> Void) -> PythonObject? {
        // A re-import (after `del sys.modules[...]`) while the first module
        // object's class is alive gets that class: one Python class per
        // Swift type, so instances and results of both modules agree.
        if let existing = ClassRegistry.reusable(T.self, moduleName: self.name, name: name),
           let t = existing.typeObject {
            let made = PythonObject(borrowing: sb_type_as_object(t))
            do { try module.setAttribute(name, made) } catch { self.record(error) }
            return made
        }
        let record = ClassRecord(T.self, name: name, moduleName: self.name, doc: doc, base: base, destroy: destroy)
        let builder = ClassBuilder<T>(module: self, record: record)
        do {
            try body(builder)
            builder.finish()
            let made = try ClassTypeFactory.make(record, module: self, swiftType: T.self)
            try module.setAttribute(name, made)
            return made
        } catch {
            self.record(error)
            return nil
        }
    }
}
