// Python protocols by declaration.  Each one becomes the dunder method
// (`__repr__`, `__len__`, `__eq__`, ...) in the type's dict, a method
// descriptor like any other, and CPython fills the matching C slot from it
// (`tp_repr`, `mp_length`, `tp_richcompare`, ...), so Python subclasses can
// override each one as usual.

extension ClassBuilder {
    /// `repr(x)`.
    @inlinable
    public func repr(_ body: @escaping (T) throws -> String) { method("__repr__()", body) }

    /// `str(x)`.
    @inlinable
    public func str(_ body: @escaping (T) throws -> String) { method("__str__()", body) }

    /// `len(x)`.
    @inlinable
    public func len(_ body: @escaping (T) throws -> Int) { method("__len__()", body) }

    /// `bool(x)` / `if x:`.
    @inlinable
    public func bool(_ body: @escaping (T) throws -> Bool) { method("__bool__()", body) }

    /// `x[key]`.  `K` may be `Int`, `String`, ``PythonSlice``, `PythonObject`, ...
    /// Throw `PythonException(.indexError/.keyError, ...)` for a missing key.
    @inlinable
    public func getItem<K: FromPython, V: ToPython>(_ body: @escaping (T, K) throws -> V) {
        method("__getitem__(key, /)", body)
    }

    /// `x[key] = value`.
    @inlinable
    public func setItem<K: FromPython, V: FromPython>(_ body: @escaping (inout T, K, V) throws -> Void) {
        mutatingMethod("__setitem__(key, value, /)", body)
    }

    /// `del x[key]`.
    @inlinable
    public func delItem<K: FromPython>(_ body: @escaping (inout T, K) throws -> Void) {
        mutatingMethod("__delitem__(key, /)", body)
    }

    /// `item in x`.  An item that does not convert to `V` is not contained.
    @inlinable
    public func contains<V: FromPython>(_ body: @escaping (T, V) throws -> Bool) {
        method("__contains__(item, /)") { (receiver: T, item: PythonObject) -> Bool in
            let value: V
            do { value = try V.fromPython(item.borrowed) } catch is ConversionError { return false }
            return try body(receiver, value)
        }
    }

    /// `with x as y:` — `y` is `x` itself.
    @inlinable
    public func enter(_ body: @escaping (inout T) throws -> Void) {
        let cls = record
        addMethod("__enter__()", doc: nil, parameters: [], returns: .text("typing_extensions.Self")) { slots, _ in
            do {
                let object = slots.unsafelyUnwrapped[0].unsafelyUnwrapped
                try body(&cls.payload(T.self, of: object).pointee)
                return sb_newref(object)
            } catch {
                return raiseInPython(error)
            }
        }
    }

    /// Leaving the `with` block; `error` is the exception raised in the
    /// block (nil when none).  Return true to swallow it.
    @inlinable
    public func exit(_ body: @escaping (inout T, PythonObject?) throws -> Bool) {
        mutatingMethod("__exit__(exc_type, exc, traceback, /)") { (receiver: inout T, _: PythonObject, exc: PythonObject?, _: PythonObject) in
            try body(&receiver, exc)
        }
    }

    /// `hash(x)`, from `T`'s `Hashable` conformance (stable within a process).
    @inlinable
    public func hashable() where T: Hashable { method("__hash__()") { (receiver: T) in receiver.hashValue } }

    /// `==` and `!=` from `T`'s `Equatable` conformance; comparing with
    /// another type returns `NotImplemented` (so `x == 1` is False).
    @inlinable
    public func equatable() where T: Equatable {
        compare("__eq__", ==)
        compare("__ne__", !=)
    }

    /// `<`, `<=`, `>`, `>=` (and `==`, `!=`) from `T`'s `Comparable` conformance.
    @inlinable
    public func comparable() where T: Comparable {
        equatable()
        compare("__lt__", <, sameType: true)
        compare("__le__", <=, sameType: true)
        compare("__gt__", >, sameType: true)
        compare("__ge__", >=, sameType: true)
    }

    /// `sameType`: the annotation of `other` is this class (ordering),
    /// else `object` (`==` takes anything, as Python's own do).
    @inlinable
    func compare(_ name: String, _ op: @escaping (T, T) -> Bool, sameType: Bool = false) {
        let cls = record
        let other = sameType
            ? ParameterInfo(pythonTypeName: "object", check: { _ in }, typeHint: { cls.qualifiedName })
            : ParameterInfo(PythonObject.self)
        addMethod("\(name)(other, /)", doc: nil, parameters: [other], returns: .of(Bool.self)) { slots, _ in
            do {
                let s = slots.unsafelyUnwrapped
                let lhs = try cls.receiver(T.self, of: s[0].unsafelyUnwrapped)
                let other = s[1].unsafelyUnwrapped
                guard cls.accepts(other), Instance.record(other) != nil else { return sb_newref(sb_NotImplemented()) }
                return sb_newref(op(lhs.pointee, Instance.payload(other, T.self).pointee) ? sb_True() : sb_False())
            } catch {
                return raiseInPython(error)
            }
        }
    }
}
