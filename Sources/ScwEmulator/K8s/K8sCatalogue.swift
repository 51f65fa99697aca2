// Kapsule catalogue: the Kubernetes versions the emulated regions offer (shaped as the recorded
// `GET /versions`: CNIs, runtimes, feature gates, admission plugins, kubelet args), the version
// rules (a listed minor accepts its earlier patches; upgrades go forward one minor at most) and
// the node types a pool may use (Instance types with at least 4 GiB of memory, as the API says).

enum K8sCatalogue {
    struct Version {
        let name: String
        let cnis: [String]
        let featureGates: [String]
        let released: String
        let deprecated: String
        let endOfLife: String

        var minor: String { K8sCatalogue.minor(of: name) }

        func json(region: String) -> JSONValue {
            .object([
                "region": .string(region), "name": .string(name), "label": .string("Kubernetes \(name)"),
                "available_cnis": .array(cnis.map { .string($0) }), "available_container_runtimes": .array([.string("containerd")]),
                "available_feature_gates": .array(featureGates.map { .string($0) }),
                "available_admission_plugins": .array(K8sCatalogue.admissionPlugins.map { .string($0) }),
                "available_kubelet_args": .object(K8sCatalogue.kubeletArgs.mapValues { .string($0) }),
                "deprecated_at": .string(deprecated), "end_of_life_at": .string(endOfLife), "released_at": .string(released),
            ])
        }
    }

    static let admissionPlugins = ["AlwaysPullImages", "PodNodeSelector", "PodTolerationRestriction"]
    static let kubeletArgs: [String: String] = [
        "containerLogMaxFiles": "uint16", "containerLogMaxSize": "quantity", "cpuCFSQuota": "bool", "cpuCFSQuotaPeriod": "duration",
        "cpuManagerPolicy": "enum:none|static", "cpuManagerPolicyOptions": "map[string]string", "enableDebuggingHandlers": "bool",
        "evictionHard": "map[string]string", "evictionMinimumReclaim": "map[string]string", "imageGCHighThresholdPercent": "uint32",
        "imageGCLowThresholdPercent": "uint32", "maxParallelImagePulls": "int32", "maxPods": "uint16", "registryBurst": "int32",
        "registryPullQPS": "int32", "serializeImagePulls": "bool",
    ]
    private static let allCNIs = ["cilium", "cilium_native", "calico", "kilo", "none"]
    private static let olderCNIs = ["cilium", "calico", "kilo", "none"]

    /// Newest first, one (latest) patch per minor, as the API lists them.
    static let versions: [Version] = [
        Version(name: "1.35.3", cnis: allCNIs, featureGates: ["HPAScaleToZero", "CPUManagerPolicyAlphaOptions", "ImageVolume", "MutatingAdmissionPolicy"],
                released: "2026-01-19T00:00:00Z", deprecated: "2027-01-19T00:00:00Z", endOfLife: "2027-03-19T00:00:00Z"),
        Version(name: "1.34.6", cnis: allCNIs, featureGates: ["HPAScaleToZero", "CPUManagerPolicyAlphaOptions", "ImageVolume", "MutatingAdmissionPolicy"],
                released: "2025-09-29T00:00:00Z", deprecated: "2026-09-29T00:00:00Z", endOfLife: "2026-11-29T00:00:00Z"),
        Version(name: "1.33.10", cnis: olderCNIs, featureGates: ["HPAScaleToZero", "DRAAdminAccess", "DynamicResourceAllocation", "PodLevelResources",
                                                                  "CPUManagerPolicyAlphaOptions", "ImageVolume"],
                released: "2025-09-04T00:00:00Z", deprecated: "2026-09-04T00:00:00Z", endOfLife: "2026-11-04T00:00:00Z"),
        Version(name: "1.32.8", cnis: olderCNIs, featureGates: ["HPAScaleToZero", "InPlacePodVerticalScaling", "SidecarContainers", "DRAAdminAccess",
                                                                 "DRAResourceClaimDeviceStatus", "DynamicResourceAllocation", "PodLevelResources",
                                                                 "CPUManagerPolicyAlphaOptions", "ImageVolume"],
                released: "2025-03-24T00:00:00Z", deprecated: "2026-03-24T00:00:00Z", endOfLife: "2026-05-24T00:00:00Z"),
        Version(name: "1.31.12", cnis: olderCNIs, featureGates: ["HPAScaleToZero", "InPlacePodVerticalScaling", "SidecarContainers",
                                                                  "CPUManagerPolicyAlphaOptions", "ImageVolume"],
                released: "2024-12-02T00:00:00Z", deprecated: "2025-12-02T00:00:00Z", endOfLife: "2026-02-02T00:00:00Z"),
    ]

    /// `1.34.6` → `1.34`.
    static func minor(of version: String) -> String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }

    /// (major, minor, patch) for ordering; nil when not `X.Y.Z`.
    static func parts(_ version: String) -> [Int]? {
        let p = version.split(separator: ".").map { Int($0) }
        guard p.count == 3, p.allSatisfy({ $0 != nil }) else { return nil }
        return p.map { $0! }
    }

    static func isNewer(_ a: String, than b: String) -> Bool {
        guard let x = parts(a), let y = parts(b) else { return false }
        return y.lexicographicallyPrecedes(x)
    }

    /// The listed version a cluster of `name` runs: the listed one, or an earlier patch of a
    /// listed minor (clusters made before the last patch release keep their patch).
    static func version(named name: String) -> Version? {
        guard let p = parts(name) else { return nil }
        return versions.first { v in
            guard let l = parts(v.name) else { return false }
            return l[0] == p[0] && l[1] == p[1] && p[2] <= l[2]
        }
    }

    /// Versions a cluster at `current` may upgrade to: newer, and at most one minor ahead.
    static func upgrades(from current: String) -> [Version] {
        guard let c = parts(current) else { return [] }
        return versions.filter { v in
            guard let p = parts(v.name) else { return false }
            return isNewer(v.name, than: current) && p[0] == c[0] && p[1] - c[1] <= 1
        }
    }

    /// True when some listed version is newer (`upgrade_available`).
    static func upgradeAvailable(from current: String) -> Bool { !upgrades(from: current).isEmpty }

    // MARK: node types

    /// The API form of a node type: `PRO2-XXS` → `pro2_xxs` (both are accepted).
    static func apiNodeType(_ name: String) -> String { name.lowercased().replacingOccurrences(of: "-", with: "_") }

    /// The Instance type behind a pool node type, when Kapsule accepts it: at least 4 GiB of
    /// memory (DEV1-S, PLAY2-PICO, STARDUST are refused), no Windows or GPU-less specials.
    static func nodeType(_ name: String) -> CommercialType? {
        let instanceName = name.uppercased().replacingOccurrences(of: "_", with: "-")
        guard let type = InstanceProducts.find(instanceName), type.ramGiB >= 4, !type.name.hasSuffix("-WIN") else { return nil }
        return type
    }

    static var nodeTypes: [CommercialType] { InstanceProducts.all.filter { nodeType($0.name) != nil } }

    static func nodeTypeJSON(_ type: CommercialType) -> JSONValue {
        .object([
            "name": .string(apiNodeType(type.name)), "stock_status": .string("in_stock"), "description": .string(type.name),
            "cpus": .int(type.ncpus), "memory": .int(type.ramGiB * CommercialType.gib), "disk": .int(type.localGB * CommercialType.gb),
            "bandwidth": .int(type.mbps * 1_000_000), "gpus": .int(type.gpu?.count ?? 0), "region": .string(""),
        ])
    }

    static let rootVolumeTypes = ["default_volume_type", "l_ssd", "sbs_5k", "sbs_15k"]
    static let clusterTypes = ["kapsule", "kapsule-dedicated-4", "kapsule-dedicated-8", "kapsule-dedicated-16"]
}
