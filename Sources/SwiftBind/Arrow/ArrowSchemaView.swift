/// The Arrow type of anything with `__arrow_c_schema__` (a `pyarrow.DataType`,
/// `Field` or `Schema`, a nanoarrow `Schema`, or an array or table, which
/// implement it too), as a function parameter.
public struct ArrowSchemaView: FromPython, PythonTyped, Sendable {
    /// The field (for a schema: a struct field whose children are the columns).
    public let field: ArrowField

    public static var pythonTypeName: String { "an Arrow schema (an object with __arrow_c_schema__)" }
    public static var pythonTypeHint: String { "typing.Any" }

    public static func fromPython(_ object: BorrowedObject) throws -> ArrowSchemaView {
        ArrowSchemaView(field: try ArrowCapsules.importSchema(object))
    }
}
