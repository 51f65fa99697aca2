// Fault injection: the public fault rates (with their CLI form "429:0.1,503:0.05,drop:0.02")
// and the per-request random draw among 429, 503, 502, dropped connection, or none.

import Foundation

public struct FaultRates: Sendable, Equatable, CustomStringConvertible {
    public var rate429: Double
    public var rate503: Double
    public var rate502: Double
    public var rateDrop: Double

    public static let none = FaultRates()

    public init(rate429: Double = 0, rate503: Double = 0, rate502: Double = 0, rateDrop: Double = 0) {
        self.rate429 = rate429
        self.rate503 = rate503
        self.rate502 = rate502
        self.rateDrop = rateDrop
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Parses the CLI form "429:0.1,503:0.05,drop:0.02" (keys 429, 502, 503, drop; rates in 0...1
    /// adding up to at most 1). An empty string or "none" means no faults.
    public init(parsing text: String) throws {
        self.init()
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "none" { return }
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = item.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty else {
                throw ParseError(description: "bad fault \"\(item)\": expected KIND:RATE, e.g. \"429:0.1,503:0.05,drop:0.02\"")
            }
            guard let rate = Double(pair[1]) else {
                throw ParseError(description: "bad fault rate \"\(pair[1])\" for \(pair[0]): expected a number between 0 and 1")
            }
            try set(pair[0], rate)
        }
        try validate()
    }

    /// From the control API body `{"429":0.3,"503":0.1,"drop":0.0}` (absent keys are 0).
    init(json: [String: JSONValue]) throws {
        self.init()
        for (key, value) in json {
            guard let rate = value.intValue.map(Double.init) ?? { if case .double(let d) = value { return d }; return nil }() else {
                throw ParseError(description: "fault rate for \(key) must be a number")
            }
            try set(key, rate)
        }
        try validate()
    }

    private mutating func set(_ kind: String, _ rate: Double) throws {
        guard rate.isFinite, rate >= 0, rate <= 1 else {
            throw ParseError(description: "fault rate \(rate) for \(kind) is out of range: expected a number between 0 and 1")
        }
        switch kind.lowercased() {
        case "429": rate429 = rate
        case "503": rate503 = rate
        case "502": rate502 = rate
        case "drop": rateDrop = rate
        default: throw ParseError(description: "unknown fault kind \"\(kind)\": expected 429, 502, 503 or drop")
        }
    }

    private func validate() throws {
        let total = rate429 + rate503 + rate502 + rateDrop
        guard total <= 1.000_000_1 else {
            throw ParseError(description: "fault rates add up to \(total): their sum must be at most 1")
        }
    }

    public var description: String {
        "429:\(rate429),503:\(rate503),502:\(rate502),drop:\(rateDrop)"
    }

    var json: JSONValue {
        .object(["429": .double(rate429), "503": .double(rate503), "502": .double(rate502), "drop": .double(rateDrop)])
    }
}

/// What happens to one API request.
enum Fault: Equatable {
    case none
    case status(Int)   // 429, 502 or 503: answered at once, not processed
    case drop          // processed, then the connection is closed without an answer
}

final class FaultInjector: @unchecked Sendable {
    private let lock = NSLock()
    private var rates: FaultRates

    init(_ rates: FaultRates) { self.rates = rates }

    var current: FaultRates {
        lock.lock(); defer { lock.unlock() }
        return rates
    }

    func set(_ rates: FaultRates) {
        lock.lock(); defer { lock.unlock() }
        self.rates = rates
    }

    /// One random draw for one request.
    func pick() -> Fault {
        let r = current
        if r == .none { return .none }
        let x = Double.random(in: 0..<1)
        var edge = r.rate429
        if x < edge { return .status(429) }
        edge += r.rate503
        if x < edge { return .status(503) }
        edge += r.rate502
        if x < edge { return .status(502) }
        edge += r.rateDrop
        if x < edge { return .drop }
        return .none
    }
}
