/// A Swift type bound with `m.class` that converts to and from its Python
/// class, so its values can be arguments and results of `def` functions,
/// methods and properties.
///
/// ```swift
/// extension Counter: PythonClass {}
/// m.def("total(counters)") { (cs: [Counter]) in cs.reduce(0) { $0 + $1.count } }
/// ```
///
/// For a class, identity round-trips: a Swift object that came from a
/// Python object goes back as that same object.  A Swift object made in
/// Swift becomes an instance of the most derived bound class.  A struct is
/// copied in each direction.
public protocol PythonClass: PythonConvertible {}

extension PythonClass {
    public static var pythonTypeName: String {
        (try? ClassRegistry.record(for: Self.self).qualifiedName) ?? "\(Self.self)"
    }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> Self {
        let record = try ClassRegistry.record(for: Self.self)
        let o = object.unsafePointer
        guard record.accepts(o) else { throw ConversionError.wrongType(expected: record.name, got: object) }
        // A Python subclass instance whose __init__ skipped ours: a
        // conversion error, so the message names the parameter.
        guard Instance.record(o) != nil else {
            throw ConversionError(.invalidValue(record.notInitializedMessage(o), .typeError))
        }
        return try record.payload(Self.self, of: o).pointee
    }

    @inlinable
    public func toPython() throws -> NewReference { try ClassRegistry.wrap(self) }
}

extension ClassRegistry {
    /// The Python object for `value`: the existing one for a Swift object
    /// already wrapped, else a new instance.
    @usableFromInline
    static func wrap<T>(_ value: T) throws -> NewReference {
        guard Instance.isReference(T.self) else { return try record(for: T.self).wrap(value) }
        let object = value as AnyObject
        let key = UInt(bitPattern: ObjectIdentifier(object))
        if let existing = IdentityMap.lookup(key) { return NewReference(owning: sb_newref(existing)) }
        let dynamicType: Any.Type = type(of: object)
        let r = try bySwiftType[ObjectIdentifier(dynamicType)] ?? record(for: T.self)
        let made = try r.wrap(value)
        IdentityMap.register(made.pointer)
        return made
    }
}

/// The Python override of `method` on the Python object wrapping
/// `object`, when that object is an instance of a Python subclass that
/// overrides it; nil otherwise (no wrapper, or not overridden).
///
/// Use it in a Swift method that Python subclasses may override, and bind
/// the Python method to the non-overridable implementation:
///
/// ```swift
/// class Shape {
///     func area() throws -> Double {
///         if let r = try callPythonOverride(self, "area", as: Double.self) { return r }
///         return baseArea()
///     }
///     func baseArea() -> Double { 0 }
/// }
/// c.method("area()") { (s: Shape) in s.baseArea() }
/// ```
/// Requires the GIL.
public func pythonOverride(of object: AnyObject, _ method: String) throws -> PythonObject? {
    guard let wrapper = IdentityMap.lookup(UInt(bitPattern: ObjectIdentifier(object))) else { return nil }
    let type = sb_type(wrapper)!
    guard ClassRegistry.byPythonType[UnsafeMutableRawPointer(type)] == nil,
          let swiftType = ClassRegistry.record(forPythonType: type)?.typeObject else { return nil }
    let onSubclass = PythonObject(owning: try checkedNew(PyObject_GetAttrString(sb_type_as_object(type), method)))
    let onSwiftType = PythonObject(owning: try checkedNew(PyObject_GetAttrString(sb_type_as_object(swiftType), method)))
    if onSubclass === onSwiftType { return nil }
    return PythonObject(owning: try checkedNew(PyObject_GetAttrString(wrapper, method)))
}

/// Calls the Python override of `method` (see ``pythonOverride(of:_:)``)
/// and converts its result; nil when there is no override.
public func callPythonOverride<R: FromPython>(_ object: AnyObject, _ method: String, _ args: any ToPython...,
                                              as type: R.Type = R.self) throws -> R? {
    guard let override = try pythonOverride(of: object, method) else { return nil }
    return try R.convert(try override.call(args), what: "the result of \(method)()")
}
