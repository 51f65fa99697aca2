// Emulator: the public entry point. Builds the cloud (store), the services and the control API,
// then serves them on 127.0.0.1 until stopped.

import Foundation

public final class Emulator: @unchecked Sendable {
    private let options: EmulatorOptions
    private let store: Store
    private let stats = Stats()
    private let faults: FaultInjector
    private let pipeline: Pipeline
    private let lock = NSLock()
    private var server: HTTPServer?
    private var boundPort: Int

    /// Loads `options.dataFile` when it exists (throws if it is unreadable or not an emulator file).
    public init(options: EmulatorOptions) throws {
        self.options = options
        store = try Store(dataFile: options.dataFile)
        faults = FaultInjector(options.faults)
        boundPort = options.port
        let context = ServiceContext(store: store, speed: options.speed, defaultProjectID: ServiceContext.emulatorProjectID)
        let api = Router()
        let services: [any EmulatedService] = [
            VPCService(context: context), InstanceService(context: context, quotas: options.quotas),
            BlockService(context: context, quotas: options.quotas), MarketplaceService(), IPAMService(context: context),
            RDBService(context: context), K8sService(context: context),
            IAMService(context: context), DomainService(context: context),
            LBService(context: context, quotas: options.quotas),
            FunctionsService(context: context), ContainersService(context: context), RegistryService(context: context),
        ]
        for service in services { service.register(on: api) }
        let control = ControlAPI(store: store, stats: stats, faults: faults).makeRouter()
        RegistryService.registerControl(on: control, store: store)
        pipeline = Pipeline(api: api, s3: S3Service(context: context, credentials: options.credentials), control: control, stats: stats, faults: faults,
                            latencyMs: max(0, options.latencyMs), log: options.log)
    }

    deinit { server?.stop() }

    /// Binds 127.0.0.1 (port 0 = any free port) and serves in background threads.
    public func start() throws {
        lock.lock(); defer { lock.unlock() }
        guard server == nil else { return }
        let pipeline = self.pipeline
        let server = HTTPServer { pipeline.handle($0) }
        try server.start(port: options.port)
        self.server = server
        boundPort = server.port
    }

    /// The port served (the one picked when `options.port` was 0).
    public var port: Int {
        lock.lock(); defer { lock.unlock() }
        return boundPort
    }

    /// "http://127.0.0.1:PORT"
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Stops serving: closes the listening socket and every open connection.
    public func stop() {
        lock.lock()
        let server = self.server
        self.server = nil
        lock.unlock()
        server?.stop()
    }

    /// Changes the fault rates of the running emulator (also `PUT /__emulator/faults`).
    public func setFaults(_ f: FaultRates) {
        faults.set(f)
    }
}
