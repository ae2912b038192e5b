import SwiftBind

/// State of one `hello` module object, made at import.
final class Greeter {
    var greeted: [String] = []
}

@_cdecl("PyInit_hello")
public func PyInit_hello() -> PythonModuleInit {
    PythonModule.define("hello", doc: "Greetings from Swift.") { m in
        let greeter = Greeter()
        let helloError = m.exception("HelloError", base: .valueError, doc: "Raised for bad greetings.")

        m.def("greet(name, greeting='Hello', *, shout=False)", doc: "Return a greeting.") {
            (name: String, greeting: String, shout: Bool) throws -> String in
            guard !name.isEmpty else { throw PythonException(helloError, "name must not be empty") }
            greeter.greeted.append(name)
            let text = "\(greeting), \(name)!"
            return shout ? text.uppercased() : text
        }
        m.def("greeted()", doc: "Names greeted so far by this module object.") { () in greeter.greeted }
        m.def("add(a, b)", doc: "Add two integers; OverflowError instead of wrapping.") {
            (a: Int, b: Int) throws -> Int in
            let (sum, overflow) = a.addingReportingOverflow(b)
            if overflow { throw PythonException(.overflowError, "\(a) + \(b) does not fit in 64 bits") }
            return sum
        }
        m.def("word_lengths(text)", doc: "Length of each word, counted with the GIL released.") {
            (text: String) -> [String: Int] in
            withoutGIL {
                var lengths: [String: Int] = [:]
                for word in text.split(separator: " ") { lengths[String(word)] = word.count }
                return lengths
            }
        }
    }
}
