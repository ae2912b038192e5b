/// The columns a table or stream parameter requires: checked when the
/// argument is converted, so a wrong table is an error naming the
/// parameter, the column and both types before the function body runs.
///
/// ```swift
/// enum Sales: ArrowColumns {
///     static let columns: [ArrowColumnRequirement] = [
///         .column("key", ArrowPrimitiveArray<Int64>.self, nulls: false),
///         .column("value", ArrowPrimitiveArray<Double>.self),
///     ]
/// }
/// m.def("total(table)") { (table: ArrowTable<Sales>) throws -> Double in ... }
/// ```
///
/// Columns not listed are allowed.  Use ``AnyArrowColumns`` to require none.
public protocol ArrowColumns {
    static var columns: [ArrowColumnRequirement] { get }
}

/// No required columns.
public enum AnyArrowColumns: ArrowColumns {
    public static var columns: [ArrowColumnRequirement] { [] }
}

/// One required column: its name, the view type it is read through, and
/// whether it may hold nulls.
public struct ArrowColumnRequirement: Sendable {
    public let name: String
    public let typeName: String
    public let allowsNulls: Bool
    let accepts: @Sendable (ArrowDataType) -> Bool

    /// A column `name` readable as `V`; `nulls: false` rejects a column that
    /// contains nulls (whatever its declared nullability: pyarrow marks
    /// every field nullable).
    public static func column<V: ArrowColumnView>(_ name: String, _ type: V.Type, nulls: Bool = true) -> ArrowColumnRequirement {
        ArrowColumnRequirement(name: name, typeName: V.arrowTypeName, allowsNulls: nulls, accepts: { V.accepts($0) })
    }
}

extension ArrowColumns {
    /// Checks a schema's fields; the message names the column and both types.
    static func check(_ fields: [ArrowField], producer: String) throws {
        for r in columns {
            guard let field = fields.first(where: { $0.name == r.name }) else {
                throw ConversionError(.invalidValue(
                    "has no column '\(r.name)' (expected \(r.typeName)); its columns are \(fields.map { "'\($0.name)'" }.joined(separator: ", "))"))
            }
            guard r.accepts(field.type) else {
                throw ConversionError(.wrongType(expected: "a table whose column '\(r.name)' is \(r.typeName)",
                                                 got: "\(producer) whose column '\(r.name)' is \(field.type)"))
            }
        }
    }

    /// Checks the required non-null columns of one batch.
    static func checkNulls(_ batch: ArrowRecordBatch, index: Int) throws {
        for r in columns where !r.allowsNulls {
            guard let i = batch.fields.firstIndex(where: { $0.name == r.name }) else { continue }
            let n = batch.childNode(i).nullCount
            if n > 0 {
                throw ConversionError(.invalidValue(
                    "column '\(r.name)' (\(r.typeName)) must have no nulls, but batch \(index) has \(n)"))
            }
        }
    }
}
