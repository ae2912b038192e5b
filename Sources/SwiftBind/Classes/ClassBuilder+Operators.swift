/// A Python binary operator, by its dunder name.
public enum PythonOperator: String, Sendable {
    case add = "add", subtract = "sub", multiply = "mul", matrixMultiply = "matmul"
    case trueDivide = "truediv", floorDivide = "floordiv", remainder = "mod", power = "pow"
    case leftShift = "lshift", rightShift = "rshift", and = "and", or = "or", xor = "xor"
}

extension ClassBuilder {
    /// `x OP other`.  When `other` does not convert to `U`, the operator
    /// returns `NotImplemented` (Python then tries the other operand, and
    /// raises TypeError if nothing applies).  Declare an operator several
    /// times with different `U` to accept several operand types; they are
    /// tried in declaration order.
    ///
    ///     c.operator(.add) { (a: Vector, b: Vector) in a + b }
    ///     c.operator(.multiply) { (a: Vector, k: Double) in a * k }
    @inlinable
    public func `operator`<U: FromPython, R: ToPython>(_ op: PythonOperator, _ body: @escaping (T, U) throws -> R) {
        addOperator("__\(op.rawValue)__", body)
    }

    /// `other OP x` when `other` does not handle it (`2 * v`): the closure
    /// gets `x` first, then `other`.
    @inlinable
    public func reflectedOperator<U: FromPython, R: ToPython>(_ op: PythonOperator, _ body: @escaping (T, U) throws -> R) {
        addOperator("__r\(op.rawValue)__", body)
    }

    /// `x OP= other`, updating `x` in place (the result is `x` itself).
    @inlinable
    public func inplaceOperator<U: FromPython>(_ op: PythonOperator, _ body: @escaping (inout T, U) throws -> Void) {
        let cls = record
        chainOperator("__i\(op.rawValue)__", operand: { pythonTypeHint(U.self, .parameter) },
                      result: .text("typing_extensions.Self")) { slots, _ in
            do {
                let s = slots.unsafelyUnwrapped
                let receiver = try cls.receiver(T.self, of: s[0].unsafelyUnwrapped)
                let other: U
                do { other = try U.fromPython(BorrowedObject(s[1].unsafelyUnwrapped)) }
                catch is ConversionError { return nil }
                try body(&receiver.pointee, other)
                return .some(sb_newref(s[0].unsafelyUnwrapped))
            } catch {
                return .some(raiseInPython(error))
            }
        }
    }

    @inlinable
    func addOperator<U: FromPython, R: ToPython>(_ name: String, _ body: @escaping (T, U) throws -> R) {
        let cls = record
        chainOperator(name, operand: { pythonTypeHint(U.self, .parameter) }, result: .of(R.self)) { slots, _ in
            do {
                let s = slots.unsafelyUnwrapped
                let receiver = try cls.receiver(T.self, of: s[0].unsafelyUnwrapped)
                let other: U
                do { other = try U.fromPython(BorrowedObject(s[1].unsafelyUnwrapped)) }
                catch is ConversionError { return nil }
                return .some(try body(receiver.pointee, other).toPython().take())
            } catch {
                return .some(raiseInPython(error))
            }
        }
    }

    /// One operand handler: `nil` means "does not apply" (try the next,
    /// finally NotImplemented); `.some(result)` is the result or an error.
    @usableFromInline
    typealias OperatorHandler = (UnsafePointer<PyObjectPointer?>?, FunctionRecord) -> PyObjectPointer??

    /// `operand` and `result` are the annotations of this handler; the
    /// method is annotated with the union over every handler of `name`.
    @usableFromInline
    func chainOperator(_ name: String, operand: @escaping () -> String, result: ResultHint,
                       _ handler: @escaping OperatorHandler) {
        let previous = operators[name]
        let chained: OperatorHandler = previous.map { earlier in
            { slots, record in earlier(slots, record) ?? handler(slots, record) }
        } ?? handler
        operators[name] = chained
        operatorTypes[name, default: []].append((operand, result))
        let types = operatorTypes[name]!
        let union: ([String]) -> String = { hints in
            var seen: [String] = []
            for h in hints where !seen.contains(h) { seen.append(h) }
            return seen.joined(separator: " | ")
        }
        let other = ParameterInfo(pythonTypeName: "object", check: { _ in },
                                  typeHint: { union(types.map { $0.0() }) })
        record.attributes.removeAll { $0.0 == name }
        addMethod("\(name)(other, /)", doc: nil, parameters: [other],
                  returns: ResultHint(resolve: { union(types.map { $0.1.resolve() }) })) { slots, record in
            chained(slots, record) ?? sb_newref(sb_NotImplemented())
        }
    }
}
