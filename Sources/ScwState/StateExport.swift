// StateExport: a stack's state as one stable, pretty JSON document (`scwlua state export`).
// Secrets are shown as "(sensitive)" and, for stores that can, never decrypted at all.

import ScwCore
import ScwEngine

/// A store that can read state without decrypting secrets (each one reads as
/// `.secret(.string("(sensitive)"))`).
public protocol RedactedStateReading {
    func redactedResources(stack: String) throws -> [ResourceState]
    func redactedOutputs(stack: String) throws -> [String: Value]
}

extension SQLiteStateStore: RedactedStateReading {
    public func redactedResources(stack: String) throws -> [ResourceState] {
        try readResources(stack: stack, mode: .redact)
    }

    public func redactedOutputs(stack: String) throws -> [String: Value] {
        try readOutputs(stack: stack, mode: .redact)
    }
}

public enum StateExport {
    /// Format version of the document, bumped if its shape changes.
    public static let formatVersion: Int64 = 1

    /// The document: `{"format_version", "stack", "resources": [...], "outputs": {...}}` with
    /// resources sorted by address and keys sorted, so equal state gives equal text.
    public static func exportJSON(store: StateStore, stack: String) throws -> String {
        JSON.encode(try document(store: store, stack: stack), pretty: true) + "\n"
    }

    /// The document as a value (for callers that embed it in a larger one).
    public static func document(store: StateStore, stack: String) throws -> Value {
        let resources: [ResourceState]
        let outputs: [String: Value]
        if let redacting = store as? RedactedStateReading {
            resources = try redacting.redactedResources(stack: stack)
            outputs = try redacting.redactedOutputs(stack: stack)
        } else {
            // Decrypted in memory only; JSON.encode writes every secret as "(sensitive)".
            resources = try store.resources(stack: stack)
            outputs = try store.outputs(stack: stack)
        }
        let rows: [Value] = resources.sorted { $0.address < $1.address }.map { r in
            .map([
                "address": .string(r.address.description),
                "type": .string(r.address.type),
                "name": .string(r.address.name),
                "id": .string(r.id),
                "status": .string(r.status.rawValue),
                "inputs": .map(r.inputs),
                "outputs": .map(r.outputs),
                "dependencies": .list(r.dependencies.map { .string($0.description) }),
                "protect": .bool(r.protect),
                "retain": .bool(r.retain),
            ])
        }
        return .map([
            "format_version": .int(formatVersion),
            "stack": .string(stack),
            "resources": .list(rows),
            "outputs": .map(outputs),
        ])
    }
}
