/// Everything the runtime knows about one Swift-defined Python type: its
/// Python type object, how to destroy the inline Swift value, the
/// initializer, the properties, and the hooks (GC, buffer, pickling).
///
/// One record per `m.class` per module object.  The type object keeps it
/// alive (through the holder in its `ht_module`), and every initialized
/// instance points at it (unretained: an instance keeps its type alive).
@usableFromInline
final class ClassRecord {
    @usableFromInline let name: String
    /// `module.Name`, the type's `tp_name`.
    @usableFromInline let qualifiedName: String
    @usableFromInline let moduleName: String
    @usableFromInline let doc: String?
    /// The Swift type's name, for messages.
    @usableFromInline let swiftTypeName: String

    /// The Python type.  Set once the type is made; not owned (the type
    /// owns this record).
    @exclusivity(unchecked) @usableFromInline var typeObject: PyTypePointer? = nil

    @usableFromInline let basicSize: Int
    @usableFromInline let isReference: Bool
    /// Destroys the Swift value inside an initialized instance.
    @usableFromInline let destroyPayload: (PyObjectPointer) -> Void
    /// The registered Swift base class, if any.
    @usableFromInline let base: ClassRecord?
    /// The Swift type, once registered.
    var swiftType: ObjectIdentifier? = nil

    @exclusivity(unchecked) @usableFromInline var initializer: FunctionRecord? = nil {
        didSet { unretainedInitializer = initializer.map { Unmanaged.passUnretained($0) } }
    }
    /// `initializer` without the retain and release a read of the optional
    /// costs (construction reads it on every call).  The record owns the
    /// initializer, so it is valid while the record is.
    @exclusivity(unchecked) @usableFromInline private(set) var unretainedInitializer: Unmanaged<FunctionRecord>? = nil
    /// The initializer's signature without the receiver (for the class
    /// docstring and default pickling).
    var initializerSignature: Signature? = nil
    /// The initializer's entry in the module's declarations (its types).
    var initializerDeclaration: Int? = nil
    /// `__next__` of iterator types.
    @usableFromInline let iterNext: ((PyObjectPointer) -> PyObjectPointer?)?
    var properties: [PropertyRecord] = []
    /// Properties declared on Swift base types.
    var inheritedProperties: [PropertyRecord] = []
    // (Hot-path fields are `@exclusivity(unchecked)`: they are written only
    // while the type is being declared, before any call can read them, and
    // the dynamic exclusivity check cost more than the rest of a method call.)

    /// The method slots (MethodSlots) this type's methods use, given back
    /// when the type dies.
    var methodSlots: [Int] = []
    /// Python objects this type needs for as long as it lives (its
    /// iterator types).
    var keepAlive: [PythonObject] = []
    /// Descriptors and plain values for the type's dict, in declaration order.
    var attributes: [(String, ClassAttribute)] = []
    var traverse: ((PyObjectPointer, PythonVisitor) -> Int32)? = nil
    var clear: ((PyObjectPointer) -> Void)? = nil
    #if !SWIFTBIND_NO_BUFFER_API
    var getBuffer: ((PyObjectPointer, UnsafeMutablePointer<Py_buffer>, Int32) -> Int32)? = nil
    var releaseBuffer: ((PyObjectPointer, UnsafeMutablePointer<Py_buffer>) -> Void)? = nil
    #endif
    /// Explicit pickling hooks (`c.pickle(state:restore:)`); nil means pickle
    /// by properties.
    var pickleState: ((PyObjectPointer) throws -> PythonObject)? = nil
    var pickleRestore: ((PyObjectPointer, BorrowedObject) throws -> Void)? = nil

    /// `destroy` is made by ``destroyer(_:)`` in the user's module, so it
    /// is specialised for `T` (deallocation then costs what `T` needs).
    init<T>(_ type: T.Type, name: String, moduleName: String, doc: String?, base: ClassRecord?,
            destroy: @escaping (PyObjectPointer) -> Void,
            iterNext: ((PyObjectPointer) -> PyObjectPointer?)? = nil) {
        self.iterNext = iterNext
        self.name = name
        self.moduleName = moduleName
        self.qualifiedName = "\(moduleName).\(name)"
        self.doc = doc
        self.swiftTypeName = String(describing: T.self)
        self.basicSize = Instance.basicSize(T.self)
        self.isReference = Instance.isReference(T.self)
        self.base = base
        self.destroyPayload = destroy
    }

    /// Destroys the `T` inside an initialized instance (and forgets a
    /// class instance's identity-map entry).
    @inlinable
    static func destroyer<T>(_ type: T.Type) -> (PyObjectPointer) -> Void {
        { object in
            if Instance.flags(object) & Instance.registeredFlag != 0 {
                IdentityMap.remove(Instance.referenceKey(object))
                Instance.setFlags(object, 0)
            }
            Instance.payload(object, T.self).deinitialize(count: 1)
        }
    }

    /// The unretained pointer stored in instances.
    @usableFromInline var opaque: UnsafeRawPointer { UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque()) }

    /// The record an instance was initialized by, or nil.
    @inlinable @inline(__always)
    static func of(_ object: PyObjectPointer) -> ClassRecord? {
        unretained(object)?.takeUnretainedValue()
    }

    /// The same, without a retain: for hot paths that use the record only
    /// while the instance's type lives (the type owns its record), through
    /// `_withUnsafeGuaranteedRef`.
    @inlinable @inline(__always)
    static func unretained(_ object: PyObjectPointer) -> Unmanaged<ClassRecord>? {
        Instance.record(object).map { Unmanaged<ClassRecord>.fromOpaque($0) }
    }

    /// True when `object` is an instance of this type or of a subclass.
    @inlinable @inline(__always)
    func accepts(_ object: PyObjectPointer) -> Bool {
        let t = sb_type(object)
        return t == typeObject || PyType_IsSubtype(t, typeObject) != 0
    }

    /// The Swift value inside `object`, checked: `object` must be an
    /// initialized instance of this type.  A class instance handed to Swift
    /// this way is entered in the identity map, so Swift can hand it back
    /// as the same Python object.
    @inlinable @inline(__always)
    func payload<T>(_ type: T.Type, of object: PyObjectPointer) throws -> UnsafeMutablePointer<T> {
        guard accepts(object) else { throw wrongType(object) }
        guard Instance.record(object) != nil else { throw notInitialized(object) }
        if isReference && Instance.flags(object) & Instance.registeredFlag == 0 {
            IdentityMap.register(object)
        }
        return Instance.payload(object, T.self)
    }

    /// The Swift value inside `object`, whose type the caller's C path has
    /// already checked (CPython's method and getset descriptors check the
    /// receiver; so does ``MethodDescriptor``): only the "initialized"
    /// mark is checked here.
    @inlinable @inline(__always)
    func receiver<T>(_ type: T.Type, of object: PyObjectPointer) throws -> UnsafeMutablePointer<T> {
        guard Instance.record(object) != nil else { throw notInitialized(object) }
        if isReference && Instance.flags(object) & Instance.registeredFlag == 0 {
            IdentityMap.register(object)
        }
        return Instance.payload(object, T.self)
    }

    /// Stores `value` in `object` (a fresh instance, or one whose `__init__`
    /// runs again: the old value is destroyed first).
    @inlinable
    func initialize<T>(_ object: PyObjectPointer, with value: T) {
        if let old = ClassRecord.of(object) { old.destroyPayload(object) }
        Instance.payload(object, T.self).initialize(to: value)
        Instance.setRecord(object, opaque)
    }

    /// A new instance of this exact type holding `value`.
    @inlinable
    func wrap<T>(_ value: T) throws -> NewReference {
        guard let typeObject else { throw PythonException(.typeError, "swiftbind: \(name) is not ready") }
        let object = try checkedNew(PyType_GenericAlloc(typeObject, 0))
        initialize(object, with: value)
        return NewReference(owning: object)
    }

    @usableFromInline
    func wrongType(_ object: PyObjectPointer) -> PythonException {
        PythonException(.typeError, "expected a \(qualifiedName) object, not \(object.typeName)")
    }

    @usableFromInline
    func notInitialized(_ object: PyObjectPointer) -> PythonException {
        PythonException(.typeError, notInitializedMessage(object))
    }

    @usableFromInline
    func notInitializedMessage(_ object: PyObjectPointer) -> String {
        "\(object.typeName) object is not initialized: its __init__ did not call \(name).__init__"
    }
}

extension ClassRecord: DiesWithHolder {
    /// The type died (its holder, CPython's `ht_module` of the type, is
    /// being freed): conversions no longer find this record and its method
    /// slots go back to the pool.  The record itself stays allocated:
    /// instances freed later in the same collection still read it.
    func holderDied() {
        ClassRegistry.remove(self)
        MethodSlots.release(methodSlots)
        methodSlots = []
        typeObject = nil
    }
}

/// Hands the Python objects a Swift value holds to the cycle collector:
/// call it once for each (`visit(self.items)`).
public struct PythonVisitor {
    let report: (PyObjectPointer) -> Void

    /// Reports one held object (nil is skipped).
    public func callAsFunction(_ object: PythonObject?) {
        if let object { report(object.unsafePointer) }
    }
}

/// An entry of a type's dict, made once the type exists.
enum ClassAttribute {
    case value(PythonObject)
    /// A method: its descriptor needs the type.
    case method(FunctionRecord, doc: String?, textSignature: String, declaration: Int?)
}
