import Synchronization

/// One `ArrowArray` (and its `ArrowSchema`) moved out of a producer's
/// capsules: released exactly once, when the last view of it goes away.
///
/// The structs are moved as the C data interface prescribes: copied into
/// memory this object owns, and the capsule's copy marked released
/// (`release = NULL`), so the capsule's destructor frees only its struct.
/// The producer's buffers stay alive until ``deinit`` calls the release
/// callbacks.
///
/// SAFETY (@unchecked Sendable): the structs are never written after init;
/// the Arrow buffers they describe are immutable by the interface's
/// contract; the release callbacks may run on any thread, with or without
/// the GIL (the C data interface requires producers to allow both).
final class ArrowImportedArray: @unchecked Sendable {
    let schema: ArrowOwnedSchema
    let array: UnsafeMutablePointer<CPython.ArrowArray>
    let field: ArrowField

    /// Imports currently alive, and release callbacks called, for leak tests
    /// (``ArrowDiagnostics``).
    static let live = Atomic<Int>(0)
    static let released = Atomic<Int>(0)

    /// Takes ownership of `array` (allocated by this runtime and already
    /// moved from the producer); `schema` (shared by a stream's batches)
    /// describes it.
    init(owning array: UnsafeMutablePointer<CPython.ArrowArray>, schema: ArrowOwnedSchema, field: ArrowField) {
        self.schema = schema
        self.array = array
        self.field = field
        Self.live.add(1, ordering: .relaxed)
    }

    deinit {
        if let release = array.pointee.release {
            release(array)
            Self.released.add(1, ordering: .relaxed)
        }
        array.deallocate()
        Self.live.subtract(1, ordering: .relaxed)
    }
}

/// An `ArrowSchema` this runtime owns, released once.
final class ArrowOwnedSchema: @unchecked Sendable {
    let schema: UnsafeMutablePointer<CPython.ArrowSchema>

    init() {
        schema = .allocate(capacity: 1)
        schema.initialize(to: CPython.ArrowSchema())
    }

    /// Moves a producer's schema into this object (marking the source released).
    init(moving source: UnsafeMutablePointer<CPython.ArrowSchema>) {
        schema = .allocate(capacity: 1)
        schema.initialize(to: source.pointee)
        source.pointee.release = nil
    }

    deinit {
        if let release = schema.pointee.release { release(schema) }
        schema.deallocate()
    }
}

/// Counters that let tests prove imported Arrow data is released exactly
/// once and exported Swift columns are freed.
public enum ArrowDiagnostics {
    /// Imported arrays (and stream batches) still held by Swift views.
    public static var liveImports: Int { ArrowImportedArray.live.load(ordering: .relaxed) }
    /// Release callbacks of imported arrays called so far.
    public static var importReleases: Int { ArrowImportedArray.released.load(ordering: .relaxed) }
    /// Exported Swift columns whose structs a consumer still holds.
    public static var liveExports: Int { ArrowExportedArray.live.load(ordering: .relaxed) }
    /// Exported structs made, and released by their consumers, so far.
    public static var exportsMade: Int { ArrowExportedArray.made.load(ordering: .relaxed) }
    public static var exportReleases: Int { ArrowExportedArray.released.load(ordering: .relaxed) }
}
