// Store: the emulated cloud held in memory (records of every kind, as their API bodies), with
// transactional writes and, when a data file is set, an atomic save after every write.

import Foundation

/// One resource. `body` is what the API serves (derived fields may be added when rendering);
/// `meta` holds emulator-only facts (state timers, secrets) that are never served.
struct Record: Sendable, Equatable {
    var kind: String
    var id: String
    var seq: Int
    var body: [String: JSONValue]
    var meta: [String: JSONValue] = [:]

    /// The region of the record (derived from the zone for zonal resources).
    var region: String {
        if let r = body["region"]?.stringValue { return r }
        if let z = body["zone"]?.stringValue { return Locality.region(ofZone: z) }
        return ""
    }

    var zone: String? { body["zone"]?.stringValue }
    var name: String { body["name"]?.stringValue ?? "" }
    var tags: [String] { body["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    var projectID: String { body["project_id"]?.stringValue ?? body["project"]?.stringValue ?? "" }
    var createdAt: String { body["created_at"]?.stringValue ?? body["creation_date"]?.stringValue ?? "" }
}

/// A snapshot of the cloud; writes work on a copy, so a thrown error leaves nothing half-done.
struct CloudState: Sendable {
    private var tables: [String: [String: Record]] = [:]
    private var nextSeq = 1

    init() {}

    func get(_ kind: String, _ id: String) -> Record? { tables[kind]?[id] }

    /// Records of one kind, oldest first.
    func list(_ kind: String) -> [Record] {
        (tables[kind].map { Array($0.values) } ?? []).sorted { $0.seq < $1.seq }
    }

    /// Every record, oldest first.
    var all: [Record] { tables.values.flatMap(\.values).sorted { $0.seq < $1.seq } }

    @discardableResult
    mutating func insert(kind: String, id: String, body: [String: JSONValue], meta: [String: JSONValue] = [:]) -> Record {
        let record = Record(kind: kind, id: id, seq: nextSeq, body: body, meta: meta)
        nextSeq += 1
        tables[kind, default: [:]][id] = record
        return record
    }

    /// Replaces a record already held (same kind and id).
    mutating func put(_ record: Record) {
        tables[record.kind, default: [:]][record.id] = record
    }

    @discardableResult
    mutating func remove(_ kind: String, _ id: String) -> Record? {
        tables[kind]?.removeValue(forKey: id)
    }

    // MARK: persistence format

    static let format = "scwlua-emulator/1"

    func encoded() -> JSONValue {
        .object([
            "format": .string(CloudState.format),
            "next_seq": .int(nextSeq),
            "records": .array(all.map { r in
                .object(["kind": .string(r.kind), "id": .string(r.id), "seq": .int(r.seq),
                         "body": .object(r.body), "meta": .object(r.meta)])
            }),
        ])
    }

    init(decoding value: JSONValue) throws {
        guard value["format"]?.stringValue == CloudState.format, let records = value["records"]?.arrayValue else {
            throw StoreError("not an emulator data file (expected format \(CloudState.format))")
        }
        for item in records {
            guard let kind = item["kind"]?.stringValue, let id = item["id"]?.stringValue,
                  let seq = item["seq"]?.intValue, let body = item["body"]?.objectValue else {
                throw StoreError("malformed record in data file")
            }
            tables[kind, default: [:]][id] = Record(kind: kind, id: id, seq: seq, body: body, meta: item["meta"]?.objectValue ?? [:])
            nextSeq = max(nextSeq, seq + 1)
        }
        nextSeq = max(nextSeq, value["next_seq"]?.intValue ?? 1)
    }
}

struct StoreError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

final class Store: @unchecked Sendable {
    private let lock = NSLock()
    private var state: CloudState
    private let dataFile: String?

    /// Loads `dataFile` when it exists; a missing file starts an empty cloud.
    init(dataFile: String?) throws {
        self.dataFile = dataFile
        state = CloudState()
        guard let dataFile else { return }
        guard FileManager.default.fileExists(atPath: dataFile) else {
            do {
                try save()   // create it now, so a bad path fails at start rather than on the first write
            } catch let error as APIError {
                throw StoreError(error.body?["message"]?.stringValue ?? "cannot create emulator data file \(dataFile)")
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: dataFile) else {
            throw StoreError("cannot read emulator data file \(dataFile)")
        }
        do {
            state = try CloudState(decoding: JSONValue.parse(bytes: Array(data)))
        } catch {
            throw StoreError("cannot load emulator data file \(dataFile): \(error)")
        }
    }

    func read<T>(_ body: (CloudState) throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(state)
    }

    /// Runs `body` on a copy of the cloud; commits (and saves) only if it returns normally.
    func write<T>(_ body: (inout CloudState) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        var copy = state
        let result = try body(&copy)
        state = copy
        try save()
        return result
    }

    /// Empties the cloud.
    func reset() throws {
        lock.lock(); defer { lock.unlock() }
        state = CloudState()
        try save()
    }

    /// Called with the lock held: write to a temporary file beside the target, then rename.
    /// The file holds what scripts sent (secret tags, user data): it is made 0600 whatever
    /// the umask, and the rename keeps that mode.
    private func save() throws {
        guard let dataFile else { return }
        let text = state.encoded().encoded() + "\n"
        let tmp = dataFile + ".tmp-\(getpid())-\(Clock.uuid().prefix(8))"
        guard Self.writePrivate(tmp, Array(text.utf8)) else {
            unlink(tmp)
            throw APIError.internalError("emulator cannot write its data file \(tmp)")
        }
        guard rename(tmp, dataFile) == 0 else {
            unlink(tmp)
            throw APIError.internalError("emulator cannot rename \(tmp) to \(dataFile)")
        }
    }

    /// Creates `path` (it must not exist) readable by its owner only, and writes `bytes`.
    private static func writePrivate(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { return false }   // the umask may have narrowed it oddly
        do {
            try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: bytes)
        } catch {
            return false
        }
        return true
    }
}
