import Testing
@testable import SwiftBind

/// The annotations derived from Swift types (TypeHints.swift); none of
/// these needs an interpreter.
@Suite struct TypeHintTests {
    @Test func containersAndOptionals() {
        #expect(pythonTypeHint(Int.self, .parameter) == "int")
        #expect(pythonTypeHint([String: Double].self, .parameter) == "dict[str, float]")
        #expect(pythonTypeHint(Set<String>.self, .result) == "set[str]")
        #expect(pythonTypeHint([Int?].self, .result) == "list[int | None]")
        #expect(pythonTypeHint(Int??.self, .result) == "int | None")
        #expect(pythonTypeHint([UInt8].self, .parameter) == "bytes")
        #expect(pythonTypeHint(PythonTuple<Int, String, [Double]>.self, .result) == "tuple[int, str, list[float]]")
    }

    @Test func pythonObjectIsObjectInAndAnyOut() {
        #expect(pythonTypeHint(PythonObject.self, .parameter) == "object")
        #expect(pythonTypeHint(PythonObject.self, .result) == "typing.Any")
        #expect(pythonTypeHint([PythonObject].self, .result) == "list[typing.Any]")
        #expect(pythonTypeHint(PythonObject?.self, .result) == "typing.Any")
    }

    @Test func buffers() {
        #expect(pythonTypeHint(PythonBuffer<Float>.self, .parameter) == "collections.abc.Buffer")
        #expect(pythonTypeHint(NDArray<Double>.self, .result) == "collections.abc.Buffer")
        #expect(pythonTypeHint(NumPyArray<Int32>.self, .result) == "numpy.typing.NDArray[numpy.int32]")
        #expect(pythonTypeHint(NumPyArray<Bool>.self, .result) == "numpy.typing.NDArray[numpy.bool_]")
    }

    @Test func elementsOfStarParameters() {
        #expect(elementHint("list[int]", container: ["list", "tuple"]) == "int")
        #expect(elementHint("dict[str, list[float]]", container: ["dict"]) == "list[float]")
        #expect(elementHint("object", container: ["list", "tuple"]) == "object")
    }
}
