// Reading the Arrow PyCapsule interface: calling a producer's
// `__arrow_c_array__` / `__arrow_c_stream__` / `__arrow_c_schema__` and
// moving the structs out of the capsules it returns.
// (https://arrow.apache.org/docs/format/CDataInterface/PyCapsuleInterface.html)

enum ArrowCapsules {
    static let schemaName = StaticString("arrow_schema")
    static let arrayName = StaticString("arrow_array")
    static let streamName = StaticString("arrow_array_stream")

    static func cString(_ s: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// The pointer in capsule `object` named `name`, or a ConversionError.
    ///
    /// The corresponding C function is `PyCapsule_GetPointer`.
    static func pointer<T>(_ object: PythonObject, _ name: StaticString, as: T.Type, from producer: String) throws -> UnsafeMutablePointer<T> {
        guard PyCapsule_IsValid(object.unsafePointer, cString(name)) != 0,
              let p = PyCapsule_GetPointer(object.unsafePointer, cString(name)) else {
            PyErr_Clear()
            throw ConversionError(.wrongType(expected: "a PyCapsule named '\(name)' from the Arrow PyCapsule interface",
                                             got: "\(object.unsafePointer.typeName) from \(producer)"))
        }
        return p.assumingMemoryBound(to: T.self)
    }

    /// Calls `object.method()` (requested_schema left to None).
    static func call(_ object: BorrowedObject, _ method: String) throws -> PythonObject {
        let owned = object.owned()
        do { return try owned.callMethod(method) }
        catch let e as PythonException {
            throw ConversionError(.invalidValue("\(object.pythonTypeName).\(method)() failed: \(e)"))
        }
    }

    static func has(_ object: BorrowedObject, _ method: String) -> Bool {
        PyObject_HasAttrString(object.unsafePointer, method) != 0
    }

    /// Imports `object.__arrow_c_array__()`: the schema and array moved out
    /// of their capsules, checked (``ArrowArrayNode``).
    static func importArray(_ object: BorrowedObject) throws -> ArrowArrayNode {
        let producer = "\(object.pythonTypeName).__arrow_c_array__()"
        let pair = try call(object, "__arrow_c_array__")
        guard sb_tuple_check(pair.unsafePointer) != 0, sb_tuple_size(pair.unsafePointer) == 2 else {
            throw ConversionError(.wrongType(expected: "a (schema, array) tuple of capsules", got: "\(pair.unsafePointer.typeName) from \(producer)"))
        }
        let schemaCapsule = PythonObject(borrowing: sb_tuple_get(pair.unsafePointer, 0))
        let arrayCapsule = PythonObject(borrowing: sb_tuple_get(pair.unsafePointer, 1))
        let sourceSchema = try pointer(schemaCapsule, schemaName, as: CPython.ArrowSchema.self, from: producer)
        let sourceArray = try pointer(arrayCapsule, arrayName, as: CPython.ArrowArray.self, from: producer)
        guard sourceSchema.pointee.release != nil, sourceArray.pointee.release != nil else {
            throw ConversionError(.invalidValue("\(producer) returned capsules that were already consumed"))
        }
        // Move both (the capsules' destructors then see release == NULL).
        let schema = ArrowOwnedSchema(moving: sourceSchema)
        let array = UnsafeMutablePointer<CPython.ArrowArray>.allocate(capacity: 1)
        array.initialize(to: sourceArray.pointee)
        sourceArray.pointee.release = nil
        let field: ArrowField
        do throws(ArrowSchemaError) { field = try ArrowField(reading: schema.schema) }
        catch {
            _ = ArrowImportedArray(owning: array, schema: schema, field: ArrowField("", .null))   // releases it
            throw ConversionError(.invalidValue("\(producer): \(error.message)"))
        }
        let owner = ArrowImportedArray(owning: array, schema: schema, field: field)
        return try node(owner, producer: producer)
    }

    /// The checked root node of `owner`.
    static func node(_ owner: ArrowImportedArray, producer: String) throws -> ArrowArrayNode {
        do throws(ArrowSchemaError) { return try ArrowArrayNode(validating: owner.array, field: owner.field, owner: owner) }
        catch { throw ConversionError(.invalidValue("\(producer): \(error.message)")) }
    }

    /// One array from `object`: `__arrow_c_array__`, or a stream of exactly
    /// one chunk (a polars Series exports only a stream).
    static func importSingleArray(_ object: BorrowedObject, expected: String) throws -> ArrowArrayNode {
        if has(object, "__arrow_c_array__") { return try importArray(object) }
        if has(object, "__arrow_c_stream__") {
            let stream = try ArrowImportedStream(object)
            var chunks: [ArrowArrayNode] = []
            while let chunk = try stream.next() {
                chunks.append(chunk)
                if chunks.count > 1 { break }
            }
            if chunks.count == 1 { return chunks[0] }
            throw ConversionError(.invalidValue(
                "this \(object.pythonTypeName) has \(chunks.isEmpty ? "no" : "several") chunks, not one; "
                + "take an ArrowChunkedArray (or pass x.combine_chunks())"))
        }
        throw ConversionError.wrongType(expected: "\(expected) (an object with __arrow_c_array__ or __arrow_c_stream__)", got: object)
    }

    /// The field described by `object.__arrow_c_schema__()`.
    static func importSchema(_ object: BorrowedObject) throws -> ArrowField {
        let producer = "\(object.pythonTypeName).__arrow_c_schema__()"
        guard has(object, "__arrow_c_schema__") else {
            throw ConversionError.wrongType(expected: "an Arrow type, field or schema (an object with __arrow_c_schema__)", got: object)
        }
        let capsule = try call(object, "__arrow_c_schema__")
        let source = try pointer(capsule, schemaName, as: CPython.ArrowSchema.self, from: producer)
        guard source.pointee.release != nil else {
            throw ConversionError(.invalidValue("\(producer) returned a released schema"))
        }
        let schema = ArrowOwnedSchema(moving: source)
        do throws(ArrowSchemaError) { return try ArrowField(reading: schema.schema) }
        catch { throw ConversionError(.invalidValue("\(producer): \(error.message)")) }
    }
}
