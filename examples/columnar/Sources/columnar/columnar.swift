import SwiftBind

/// The columns every query reads.  Checked when a table is passed: a
/// missing column, another type, or a null key is an error naming the
/// argument, the column and both types, before any work starts.
enum Sales: ArrowColumns {
    static let columns: [ArrowColumnRequirement] = [
        .column("key", ArrowPrimitiveArray<Int64>.self, nulls: false),
        .column("value", ArrowPrimitiveArray<Double>.self),
    ]
}

enum Names: ArrowColumns {
    static let columns: [ArrowColumnRequirement] = [.column("name", ArrowAnyStringArray.self)]
}

@_cdecl("PyInit_columnar")
public func PyInit_columnar() -> PythonModuleInit {
    PythonModule.define("columnar", doc: """
        Queries over Arrow tables (pyarrow.Table, polars.DataFrame, anything with \
        __arrow_c_stream__), read in place, without the GIL, on every core.
        """) { m in
        m.def("groupby_sum(table)", doc: "Per key: the sum of the non-null values (a record batch: key, sum).") {
            (table: ArrowTable<Sales>) throws -> ArrowExportedBatch in
            let g = try groupBy(keys: table.column("key", as: ArrowPrimitiveArray<Int64>.self),
                                values: table.column("value", as: ArrowPrimitiveArray<Double>.self))
            let sums = zip(g.sums, g.counts).map { $1 == 0 ? nil : $0 }
            return try ArrowExportedBatch(["key": ArrowExportedColumn(g.keys), "sum": ArrowExportedColumn(sums)])
        }
        m.def("groupby_mean(table)", doc: "Per key: the mean of the non-null values (a record batch: key, mean).") {
            (table: ArrowTable<Sales>) throws -> ArrowExportedBatch in
            let g = try groupBy(keys: table.column("key", as: ArrowPrimitiveArray<Int64>.self),
                                values: table.column("value", as: ArrowPrimitiveArray<Double>.self))
            let means = zip(g.sums, g.counts).map { $1 == 0 ? nil : $0 / Double($1) }
            return try ArrowExportedBatch(["key": ArrowExportedColumn(g.keys), "mean": ArrowExportedColumn(means)])
        }
        m.def("filtered_mean(table, threshold)", doc: "The mean of the values greater than threshold (None when none are).") {
            (table: ArrowTable<Sales>, threshold: Double) throws -> Double? in
            try filteredMean(table.column("value", as: ArrowPrimitiveArray<Double>.self), greaterThan: threshold)
        }
        m.def("strlen_histogram(table)", doc: "counts[n] = how many non-null names are n UTF-8 bytes long.") {
            (table: ArrowTable<Names>) throws -> ArrowExportedColumn in
            ArrowExportedColumn(try lengthHistogram(table.column("name", as: ArrowAnyStringArray.self)))
        }
        m.def("cores()", doc: "The number of cores the queries run on.") { () in Parallel.coreCount }
    }
}
