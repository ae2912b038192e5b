/// A Swift enum with raw values, seen in Python as an `enum.Enum`.
///
/// ```swift
/// enum Color: String, PythonEnum { case red, green, blue }
/// m.enum(Color.self, "Color")          // fx.Color.red.value == "red"
/// m.def("favourite()") { Color.green } // returns fx.Color.green
/// ```
public protocol PythonEnum: CaseIterable, RawRepresentable, PythonConvertible where RawValue: PythonConvertible {}

/// The Python enum classes, by Swift type.  SAFETY: GIL held.
enum EnumRegistry {
    nonisolated(unsafe) static var classes: [ObjectIdentifier: (name: String, type: PythonObject)] = [:]

    static func lookup(_ type: Any.Type) throws -> (name: String, type: PythonObject) {
        guard let found = classes[ObjectIdentifier(type)] else {
            throw PythonException(.typeError, "swiftbind: \(type) is not bound to a Python enum (declare it with m.enum(\(type).self, ...))")
        }
        return found
    }
}

extension PythonEnum {
    public static var pythonTypeName: String { (try? EnumRegistry.lookup(Self.self).name) ?? "\(Self.self)" }

    public static func fromPython(_ object: BorrowedObject) throws -> Self {
        let (name, type) = try EnumRegistry.lookup(Self.self)
        guard PyObject_IsInstance(object.unsafePointer, type.unsafePointer) == 1 else {
            PyErr_Clear()
            throw ConversionError.wrongType(expected: name, got: object)
        }
        let raw = try RawValue.convert(object.owned().attribute("value"))
        guard let value = Self(rawValue: raw) else {
            throw ConversionError(.invalidValue("\(raw) is not a \(Self.self) value"))
        }
        return value
    }

    public func toPython() throws -> NewReference {
        try EnumRegistry.lookup(Self.self).type.call([rawValue]).newReference()
    }
}

extension ModuleBuilder {
    /// Declares `<module>.<name>`, an `enum.Enum` whose members are the
    /// cases of `E` (named as in Swift) with their raw values.
    @discardableResult
    public func `enum`<E: PythonEnum>(_ type: E.Type, _ name: String, doc: String? = nil) -> PythonObject? {
        do {
            // A re-import reuses the enum class: one per Swift type.
            if let existing = EnumRegistry.classes[ObjectIdentifier(E.self)], existing.name == "\(self.name).\(name)" {
                try module.setAttribute(name, existing.type)
                return existing.type
            }
            let members = PythonObject(owning: try checkedNew(PyList_New(0)))
            for c in E.allCases {
                let pair = try PythonTuple(String(describing: c), c.rawValue).pythonObject()
                try checkedStatus(PyList_Append(members.unsafePointer, pair.unsafePointer))
            }
            let enumClass = try Python.import("enum").attribute("Enum")
            let made = try enumClass.call([name, members], kwargs: ["module": self.name, "qualname": name])
            if let doc { try made.setAttribute("__doc__", doc) }
            try module.setAttribute(name, made)
            EnumRegistry.classes[ObjectIdentifier(E.self)] = ("\(self.name).\(name)", made)
            return made
        } catch {
            record(error)
            return nil
        }
    }
}
