import Testing
@testable import SwiftBind

/// Arrow format strings and schemas need no interpreter.
@Suite struct ArrowFormatTests {
    @Test func parsesFormats() throws {
        let cases: [(String, ArrowDataType, String)] = [
            ("l", .int64, "int64"), ("C", .uint8, "uint8"), ("g", .float64, "double"), ("f", .float32, "float"),
            ("b", .bool, "bool"), ("u", .utf8, "string"), ("U", .largeUTF8, "large_string"),
            ("vu", .utf8View, "string_view"), ("z", .binary, "binary"), ("tdD", .date32, "date32[day]"),
            ("tsu:UTC", .timestamp(.microsecond, timezone: "UTC"), "timestamp[us, tz=UTC]"),
            ("tsn:", .timestamp(.nanosecond, timezone: nil), "timestamp[ns]"),
            ("w:16", .other("w:16"), "arrow type 'w:16'"),
        ]
        for (format, type, name) in cases {
            let parsed = try ArrowDataType(format: format, children: [])
            #expect(parsed == type)
            #expect(parsed.description == name)
            if case .other = type { continue }
            #expect(parsed.format == format)
        }
    }

    @Test func listsNeedOneChild() throws {
        #expect(throws: ArrowSchemaError.self) { try ArrowDataType(format: "+l", children: []) }
        let item = ArrowField("item", .int32)
        #expect(try ArrowDataType(format: "+l", children: [item]) == .list(item))
    }

    @Test func readsAnExportedSchema() throws {
        // A schema this runtime exports reads back as the same field.
        let batch = try ArrowExportedBatch(["id": ArrowExportedColumn([Int64(1), 2]), "s": ArrowExportedColumn(["a", "b"])])
        let schema = UnsafeMutablePointer<CPython.ArrowSchema>.allocate(capacity: 1)
        defer { schema.deallocate() }
        ArrowExportedSchema.export(batch.tree, into: schema)
        let field = try ArrowField(reading: schema)
        #expect(field.type == .struct([ArrowField("id", .int64), ArrowField("s", .utf8)]))
        schema.pointee.release?(schema)
        #expect(schema.pointee.release == nil)
    }
}
