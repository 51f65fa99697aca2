// S3StateStore: a StateStore on Object Storage, one object per resource row so that every put
// or remove is one request (O(1)), durable when S3 answers. Outputs are one object; locks and
// history are in the +Locks and +History extensions.

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine
import ScwState

/// Stacks' state in a bucket, under a prefix (see ``S3StateLocation`` for the layout).
///
/// Secrets are sealed as in the SQLite store (``StateCodec``), with a key derived from
/// `SCWLUA_PASSPHRASE` and the salt object `<prefix>/key.salt`; state without secrets needs
/// no passphrase. Calls block until S3 has answered (they run on a thread of their own, never
/// waiting for Swift's concurrency pool), so they may be made from async code.
public final class S3StateStore: StateStore, RedactedStateReading, @unchecked Sendable {
    public let location: S3StateLocation
    let objects: S3StateObjects
    let codec: StateCodec
    let secretKey: RemoteSecretKey
    /// Guards `heldLocks` and `runningDeployments`.
    let mutex = NSLock()
    /// The token of each lock this store took, by stack.
    var heldLocks: [String: String] = [:]
    /// Deployments begun here and not finished: id → (stack, the record's token).
    var runningDeployments: [Int64: (stack: String, token: String)] = [:]
    /// How many rows are read at once when a stack's state is loaded.
    static let readConcurrency = 16

    /// A store at `location`, sending requests with `client` (its config gives credentials and
    /// endpoint; the bucket's region is `location.region` or `defaultRegion`). Makes no request.
    public convenience init(location: S3StateLocation, client: S3Client, defaultRegion: String, environment: [String: String]) {
        self.init(location: location, client: client, defaultRegion: defaultRegion, environment: environment,
                  newSaltIterations: SecretBox.defaultIterations)
    }

    /// As above; a new salt gets `newSaltIterations` PBKDF2 rounds (tests use few).
    init(location: S3StateLocation, client: S3Client, defaultRegion: String, environment: [String: String], newSaltIterations: Int) {
        self.location = location
        let bucket = S3Bucket(name: location.bucket, region: location.region ?? defaultRegion)
        objects = S3StateObjects(client: client, bucket: bucket, location: location)
        let key = RemoteSecretKey(objects: objects, environment: environment, newSaltIterations: newSaltIterations)
        secretKey = key
        codec = StateCodec(secrets: { try key.get() })
    }

    /// The store for `location` with the credentials and S3 endpoint of `config`: the same
    /// endpoint rules as the Bucket resource (the local emulator serves S3 on its own port).
    public convenience init(location: S3StateLocation, config: ScalewayConfig, environment: [String: String],
                            transport: any HTTPTransport = CurlTransport(), retry: RetryPolicy = .default,
                            log: (@Sendable (String) -> Void)? = nil) {
        var s3Config = config
        s3Config.s3Endpoint = s3Config.effectiveS3Endpoint
        let client = S3Client(config: s3Config, transport: transport, retry: retry, timeout: 30, log: log)
        self.init(location: location, client: client, defaultRegion: config.defaultRegion, environment: environment)
    }

    /// Runs S3 work from a synchronous store call.
    func run<T: Sendable>(_ body: @escaping @Sendable (S3StateObjects) async throws -> T) throws -> T {
        let objects = self.objects
        return try BlockingBridge.run { try await body(objects) }
    }

    // MARK: resources

    public func resources(stack: String) throws -> [ResourceState] {
        try readResources(stack: stack, mode: .decrypt)
    }

    public func redactedResources(stack: String) throws -> [ResourceState] {
        try readResources(stack: stack, mode: .redact)
    }

    func readResources(stack: String, mode: StateCodec.SecretMode) throws -> [ResourceState] {
        let prefix = location.resourcesPrefix(stack)
        let bodies = try run { objects in
            let keys = try await objects.keys(under: prefix).filter { $0.hasSuffix(".json") }
            return try await Self.getAll(keys, objects: objects)
        }
        // Decrypting happens here, outside the S3 thread.
        let codec = self.codec
        return try bodies.map { try StoredObjects.resource($0.body, from: objects.url($0.key), codec: codec, mode: mode) }
            .sorted { $0.address < $1.address }
    }

    /// Reads the objects, `readConcurrency` at a time; a key deleted since it was listed is skipped.
    static func getAll(_ keys: [String], objects: S3StateObjects) async throws -> [(key: String, body: [UInt8])] {
        var out: [(key: String, body: [UInt8])] = []
        var next = 0
        try await withThrowingTaskGroup(of: (String, [UInt8]?).self) { group in
            func start() {
                guard next < keys.count else { return }
                let key = keys[next]
                next += 1
                group.addTask { (key, try await objects.get(key)?.body) }
            }
            for _ in 0..<readConcurrency { start() }
            while let (key, body) = try await group.next() {
                if let body { out.append((key, body)) }
                start()
            }
        }
        return out
    }

    public func put(stack: String, _ resource: ResourceState) throws {
        let body = try StoredObjects.resourceBody(resource, codec: codec)
        let key = location.resourceKey(stack, resource.address)
        try run { try await $0.put(key, body) }
    }

    public func remove(stack: String, address: ResourceAddress) throws {
        let key = location.resourceKey(stack, address)
        try run { try await $0.delete(key) }
    }

    // MARK: outputs

    public func outputs(stack: String) throws -> [String: Value] {
        try readOutputs(stack: stack, mode: .decrypt)
    }

    public func redactedOutputs(stack: String) throws -> [String: Value] {
        try readOutputs(stack: stack, mode: .redact)
    }

    func readOutputs(stack: String, mode: StateCodec.SecretMode) throws -> [String: Value] {
        let key = location.outputsKey(stack)
        guard let (body, _) = try run({ try await $0.get(key) }) else { return [:] }
        return try StoredObjects.outputs(body, from: objects.url(key), codec: codec, mode: mode)
    }

    public func setOutputs(stack: String, _ outputs: [String: Value]) throws {
        let body = try StoredObjects.outputsBody(outputs, codec: codec)
        let key = location.outputsKey(stack)
        try run { try await $0.put(key, body) }
    }

    // MARK: stacks

    /// Stacks with resources, outputs or history (a stack holding only a lock is not listed).
    public func stacks() throws -> [String] {
        let root = location.root
        return try run { objects in
            var names: [String] = []
            for folder in try await objects.folders(under: root) {
                guard let encoded = folder.dropFirst(root.count).split(separator: "/").first,
                      let name = S3StateLocation.decode(encoded) else { continue }
                let some = try await objects.someKeys(under: folder, limit: 2)
                if some.contains(where: { !$0.hasSuffix("/lock.json") }) { names.append(name) }
            }
            return names.sorted()
        }
    }

    /// True when the stack has no resource, no outputs and no history (a lock may be there).
    public func isEmpty(stack: String) throws -> Bool {
        let folder = location.stackRoot(stack)
        return try run { objects in
            try await objects.someKeys(under: folder, limit: 2).allSatisfy { $0.hasSuffix("/lock.json") }
        }
    }
}
