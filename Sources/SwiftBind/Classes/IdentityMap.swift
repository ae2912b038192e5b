/// Swift class instances that Python objects wrap: object address → the
/// Python object (unowned), so a Swift object handed back to Python is the
/// same Python object it came from.
///
/// Only instances whose Swift object has been seen by Swift code are
/// entered: one handed to Swift as a method receiver or an argument, or
/// made by Swift and returned to Python.  An instance made and used only
/// by Python (the common, fast case) never touches the map.  The entry is
/// removed when the Python object dies, so the map holds no references.
///
/// SAFETY: read and written only with the GIL held.
@usableFromInline
enum IdentityMap {
    nonisolated(unsafe) static var table: [UInt: PyObjectPointer] = [:]

    /// Enters `object` (an initialized instance with a class payload).
    @usableFromInline @inline(never)
    static func register(_ object: PyObjectPointer) {
        let key = Instance.referenceKey(object)
        // A second wrapper of the same Swift object (made before the first
        // was registered) keeps the first entry.
        if table[key] == nil { table[key] = object }
        if table[key] == object { Instance.setFlags(object, Instance.flags(object) | Instance.registeredFlag) }
    }

    @usableFromInline @inline(never)
    static func remove(_ key: UInt) { table[key] = nil }

    /// The live Python object wrapping the Swift object at `key`, borrowed.
    static func lookup(_ key: UInt) -> PyObjectPointer? { table[key] }
}

/// Registered Swift types, for conversions (`FromPython`/`ToPython` of a
/// class) and for finding the record of a Python subclass.
///
/// SAFETY: read and written only with the GIL held.
@usableFromInline
enum ClassRegistry {
    nonisolated(unsafe) static var bySwiftType: [ObjectIdentifier: ClassRecord] = [:]
    nonisolated(unsafe) static var byPythonType: [UnsafeMutableRawPointer: ClassRecord] = [:]

    static func add(_ record: ClassRecord, for swiftType: Any.Type) {
        record.swiftType = ObjectIdentifier(swiftType)
        bySwiftType[ObjectIdentifier(swiftType)] = record
        if let t = record.typeObject { byPythonType[UnsafeMutableRawPointer(t)] = record }
    }

    /// Forgets `record` (its type died), where it is still the entry.
    static func remove(_ record: ClassRecord) {
        if let key = record.swiftType, bySwiftType[key] === record { bySwiftType[key] = nil }
        if let t = record.typeObject, byPythonType[UnsafeMutableRawPointer(t)] === record {
            byPythonType[UnsafeMutableRawPointer(t)] = nil
        }
    }

    /// The live record a re-import of module `moduleName` can reuse for
    /// `swiftType` bound as `name`, if any.
    static func reusable(_ swiftType: Any.Type, moduleName: String, name: String) -> ClassRecord? {
        guard let r = bySwiftType[ObjectIdentifier(swiftType)], r.typeObject != nil,
              r.moduleName == moduleName, r.name == name else { return nil }
        return r
    }

    /// The record of the Swift type `type` (the most recently created
    /// module's, when modules of different names bind it).
    @usableFromInline
    static func record(for type: Any.Type) throws -> ClassRecord {
        guard let r = bySwiftType[ObjectIdentifier(type)] else {
            throw PythonException(.typeError,
                "swiftbind: \(type) is not bound to a Python class (declare it with m.class(\(type).self, ...))")
        }
        return r
    }

    /// The record of the Swift-defined type that `type` is or derives from.
    static func record(forPythonType type: PyTypePointer) -> ClassRecord? {
        var t: PyTypePointer? = type
        while let current = t {
            if let r = byPythonType[UnsafeMutableRawPointer(current)] { return r }
            t = sb_type_base(current)
        }
        return nil
    }
}
