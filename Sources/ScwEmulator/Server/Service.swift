// Services: the protocol an emulated Scaleway API implements (register its routes), and the
// context each one gets (the store, the options, cross-resource reference checks).

/// One emulated API (VPC, Instance, S3...): a file that registers its routes on the router.
///
/// Adding one: write `XService.swift` with `register(on:)` adding its routes (templates such as
/// `/instance/v1/zones/{zone}/servers/{id}`), keep its resources in `context.store` as records of
/// its own kinds (they then show in `/__emulator/resources` and persist with no extra code), use
/// `Locality.zone`/`region` for the path, `ListQuery.bodyPage` or `ListQuery.headerPage`
/// (X-Total-Count + Link) for lists, `Clock.instanceTimestamp` where the API uses `+00:00`, and
/// `context.speed` to scale transient states; then add it to the list in `Emulator.init`.
/// (S3 is the exception: its paths are `/<bucket>/<key>`, so the pipeline hands it every request
/// signed with SigV4 or sent to an `s3.<region>.` host; see `S3Service`.)
protocol EmulatedService: Sendable {
    func register(on router: Router)
}

struct ServiceContext: Sendable {
    let store: Store
    /// Scales durations of transient states.
    let speed: Double
    /// The project used when a create body names none (the real API uses the key's default project).
    let defaultProjectID: String

    static let emulatorProjectID = "11111111-1111-4111-8111-111111111111"

    /// "kind id" of every record (kinds in `excluding` left out) whose body mentions `id` anywhere:
    /// the generic "still in use" check (a NIC, an LB or a cluster attached to a private network...).
    static func references(to id: String, in state: CloudState, excluding: Set<String>) -> [String] {
        state.all.filter { !excluding.contains($0.kind) && $0.id != id && mentions(.object($0.body), id) }
            .map { "\($0.kind) \($0.id)" }
    }

    private static func mentions(_ value: JSONValue, _ id: String) -> Bool {
        switch value {
        case .string(let s): return s == id
        case .array(let items): return items.contains { mentions($0, id) }
        case .object(let fields): return fields.values.contains { mentions($0, id) }
        default: return false
        }
    }
}
