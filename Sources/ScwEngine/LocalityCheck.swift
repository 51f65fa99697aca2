// LocalityCheck: a reference between two declared resources must stay inside one region (one
// zone when both are zonal): an Instance in nl-ams-1 cannot join a private network of fr-par.
// The target's id is unknown until it exists, so the provider's own check could only run at
// apply, after the target was made; this one compares the declared zones and regions at plan.

import ScwCore

enum LocalityCheck {
    /// One problem per reference to another declared resource that lives elsewhere.
    static func problems(_ changes: [PlannedChange], registry: ProviderRegistry) -> [Diagnostic] {
        let byAddress = Dictionary(changes.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Diagnostic] = []
        // In script order, as a reader fixes them.
        let ordered = changes.sorted { ($0.declaration?.location?.line ?? .max) < ($1.declaration?.location?.line ?? .max) }
        for change in ordered {
            guard let decl = change.declaration, let schema = registry.provider(for: change.address.type)?.schema,
                  let mine = place(change.inputs) else { continue }
            for prop in schema.props where takesIDs(prop.kind) {
                for ref in decl.props[prop.name]?.references ?? [] where ref.path == [.key("id")] {
                    guard let target = byAddress[ref.address], let theirs = place(target.inputs) else { continue }
                    let sameZone = mine.zone == nil || theirs.zone == nil || mine.zone == theirs.zone
                    guard mine.region != theirs.region || !sameZone else { continue }
                    let (where1, where2) = (describe(theirs, exact: !sameZone), describe(mine, exact: !sameZone))
                    out.append(Diagnostic("\(change.address): \(prop.name) refers to \(ref.address) in \(where1), but \(change.address) is in \(where2)",
                                          at: decl.location.map { .script($0) } ?? .resource(change.address),
                                          hint: "a reference cannot cross \(sameZone ? "regions" : "zones"): declare both in the same \(sameZone ? "region" : "zone")"))
                }
            }
        }
        return out
    }

    private static func place(_ inputs: [String: Value]) -> (zone: String?, region: String)? {
        if let zone = inputs["zone"]?.stringValue, let region = Locality.region(ofZone: zone) { return (zone, region) }
        if let region = inputs["region"]?.stringValue, Locality.isRegion(region) { return (nil, region) }
        return nil
    }

    private static func describe(_ p: (zone: String?, region: String), exact: Bool) -> String {
        guard let zone = p.zone else { return "region \(p.region)" }
        return exact ? "zone \(zone)" : "zone \(zone) (region \(p.region))"
    }

    private static func takesIDs(_ kind: PropKind) -> Bool {
        switch kind {
        case .resourceID: return true
        case .list(let inner): return takesIDs(inner)
        default: return false
        }
    }
}
