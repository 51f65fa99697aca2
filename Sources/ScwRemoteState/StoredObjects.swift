// StoredObjects: the JSON bodies of remote state objects: a resource row (inputs and outputs
// as StateCodec stores them, secrets sealed), the lock (with a random token naming the taker),
// and a deployment record. Every body carries "format": 1.

import ScwCore
import ScwEngine
import ScwState

enum StoredObjects {
    static let format: Int64 = 1

    // MARK: resource rows

    /// The body of a resource row. Encoding (and sealing) happens first: a value state cannot
    /// hold fails before anything is written.
    static func resourceBody(_ r: ResourceState, codec: StateCodec) throws -> [UInt8] {
        let address = r.address.description
        let inputs = try JSON.decode(try codec.encode(r.inputs, what: "\(address) inputs"))
        let outputs = try JSON.decode(try codec.encode(r.outputs, what: "\(address) outputs"))
        let doc: [String: Value] = [
            "format": .int(format),
            "address": .string(address), "type": .string(r.address.type), "name": .string(r.address.name),
            "id": .string(r.id), "status": .string(r.status.rawValue),
            "inputs": inputs, "outputs": outputs,
            "dependencies": .list(r.dependencies.map { .string($0.description) }),
            "protect": .bool(r.protect), "retain": .bool(r.retain),
            "updated_at": .string(StateProcess.now()),
        ]
        return body(doc)
    }

    static func resource(_ bytes: [UInt8], from url: String, codec: StateCodec, mode: StateCodec.SecretMode) throws -> ResourceState {
        let doc = try document(bytes, url)
        func damaged(_ why: String) -> StateError { StateError("remote state is damaged: \(url) \(why)") }
        guard let type = doc["type"]?.stringValue, let name = doc["name"]?.stringValue else { throw damaged("has no type or name") }
        let address = ResourceAddress(type: type, name: name)
        guard let statusText = doc["status"]?.stringValue, let status = ResourceState.Status(rawValue: statusText) else {
            throw damaged("has an unknown status")
        }
        let dependencies = try (doc["dependencies"]?.listValue ?? []).map { v -> ResourceAddress in
            guard let s = v.stringValue, let a = ResourceAddress(parsing: s) else { throw damaged("has a bad dependency \(JSON.encode(v))") }
            return a
        }
        func map(_ field: String) throws -> [String: Value] {
            try codec.decodeMap(JSON.encode(doc[field] ?? .map([:])), mode: mode, what: "\(address) \(field)")
        }
        return ResourceState(address: address, id: doc["id"]?.stringValue ?? "", status: status,
                             inputs: try map("inputs"), outputs: try map("outputs"), dependencies: dependencies,
                             protect: doc["protect"]?.boolValue ?? false, retain: doc["retain"]?.boolValue ?? false)
    }

    // MARK: outputs

    static func outputsBody(_ outputs: [String: Value], codec: StateCodec) throws -> [UInt8] {
        body(["format": .int(format), "outputs": try JSON.decode(try codec.encode(outputs, what: "stack output")),
              "updated_at": .string(StateProcess.now())])
    }

    static func outputs(_ bytes: [UInt8], from url: String, codec: StateCodec, mode: StateCodec.SecretMode) throws -> [String: Value] {
        let doc = try document(bytes, url)
        return try codec.decodeMap(JSON.encode(doc["outputs"] ?? .map([:])), mode: mode, what: "stack outputs (\(url))")
    }

    // MARK: lock

    static func lockBody(_ info: LockInfo, token: String) -> [UInt8] {
        body(["format": .int(format), "holder": .string(info.holder), "pid": .int(Int64(info.pid)), "host": .string(info.host),
              "command": .string(info.command), "acquired_at": .string(info.acquiredAt), "token": .string(token)])
    }

    static func lock(_ bytes: [UInt8], from url: String) throws -> (info: LockInfo, token: String) {
        let doc = try document(bytes, url)
        guard let holder = doc["holder"]?.stringValue, let pid = doc["pid"]?.intValue, let host = doc["host"]?.stringValue else {
            throw StateError("remote state is damaged: the lock \(url) has no holder, pid or host (`scwlua state unlock` clears it)")
        }
        let info = LockInfo(holder: holder, pid: Int32(truncatingIfNeeded: pid), host: host, command: doc["command"]?.stringValue ?? "?",
                            acquiredAt: doc["acquired_at"]?.stringValue ?? "?")
        return (info, doc["token"]?.stringValue ?? "")
    }

    // MARK: deployments

    static func deploymentBody(_ d: DeploymentRecord, token: String) -> [UInt8] {
        var doc: [String: Value] = ["format": .int(format), "id": .int(d.id), "command": .string(d.command),
                                    "started_at": .string(d.startedAt), "token": .string(token)]
        if let f = d.finishedAt { doc["finished_at"] = .string(f) }
        if let r = d.result { doc["result"] = .string(r) }
        if let s = d.summary { doc["summary"] = .string(s) }
        return body(doc)
    }

    static func deployment(_ bytes: [UInt8], from url: String) throws -> (record: DeploymentRecord, token: String) {
        let doc = try document(bytes, url)
        guard let id = doc["id"]?.intValue, let command = doc["command"]?.stringValue, let started = doc["started_at"]?.stringValue else {
            throw StateError("remote state is damaged: deployment record \(url) has no id, command or start time")
        }
        let record = DeploymentRecord(id: id, command: command, startedAt: started, finishedAt: doc["finished_at"]?.stringValue,
                                      result: doc["result"]?.stringValue, summary: doc["summary"]?.stringValue)
        return (record, doc["token"]?.stringValue ?? "")
    }

    // MARK: helpers

    static func body(_ doc: [String: Value]) -> [UInt8] { Array((JSON.encode(.map(doc)) + "\n").utf8) }

    /// The object as a JSON map, refusing a format this scwlua does not know.
    private static func document(_ bytes: [UInt8], _ url: String) throws -> [String: Value] {
        guard let value = try? JSON.decode(bytes: bytes), let doc = value.mapValue else {
            throw StateError("remote state is damaged: \(url) is not a JSON object")
        }
        if let f = doc["format"]?.intValue, f > format {
            throw StateError("remote state \(url) has format \(f), newer than this scwlua knows (\(format)): upgrade scwlua to use it")
        }
        return doc
    }
}
