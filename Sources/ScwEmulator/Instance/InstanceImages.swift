// The public images every zone offers (marketplace labels such as ubuntu_jammy, per arch and
// volume kind), with ids that stay the same across runs, and their Instance API `image` object.
// Images Scaleway was recorded answering with carry the recorded ids (InstanceImages+Recorded).

struct LocalImage: Sendable {
    let label: String
    let name: String
    let zone: String
    let arch: CommercialType.Arch
    /// `instance_sbs` (root volume on Block Storage) or `instance_local` (root volume l_ssd).
    let type: String
    /// The recorded id when Scaleway was recorded listing this image, else a stable made-up one.
    let id: String
    /// The root snapshot's id (recorded when a server was recorded being made from the image).
    let snapshotID: String
    /// `creation_date` and `modification_date` of the Instance API image.
    let creationDate: String

    init(label: String, name: String, zone: String, arch: CommercialType.Arch, type: String) {
        self.label = label
        self.name = name
        self.zone = zone
        self.arch = arch
        self.type = type
        let key = "\(label)/\(zone)/\(arch.rawValue)/\(type)"
        let recorded = InstanceImages.recorded[key]
        id = recorded?.id ?? StableID.uuid("image/" + key)
        snapshotID = recorded?.snapshotID ?? StableID.uuid("snapshot/" + key)
        creationDate = recorded?.creationDate ?? "2026-05-12T15:20:10.934226+00:00"
    }

    var isLocal: Bool { type == "instance_local" }

    /// Types it boots on: same arch, and for local images only types with local storage.
    var compatibleTypes: [String] {
        InstanceProducts.all.filter { $0.arch == arch && (!isLocal || $0.supportsLocalVolumes) }.map(\.name)
    }

    /// The root volume size the image asks for by default (bytes).
    static let rootSize = 10 * CommercialType.gb

    /// The marketplace v2 `local_images` item.
    var marketplaceJSON: JSONValue {
        .object([
            "id": .string(id), "arch": .string(arch.rawValue), "zone": .string(zone), "label": .string(label),
            "type": .string(type), "compatible_commercial_types": .array(compatibleTypes.map { .string($0) }),
        ])
    }

    /// The Instance API `image` object (embedded in servers, served by `GET /images/{id}`).
    var instanceJSON: JSONValue {
        let date = creationDate
        return .object([
            "id": .string(id), "name": .string(name), "organization": .string(InstanceImages.publisher),
            "project": .string(InstanceImages.publisher),
            "root_volume": .object([
                "volume_type": .string(isLocal ? "l_ssd" : "sbs_snapshot"), "id": .string(snapshotID),
                "size": .int(isLocal ? LocalImage.rootSize : 0), "name": .string(isLocal ? label : ""),
            ]),
            "extra_volumes": .object([:]), "public": .bool(true), "arch": .string(arch.rawValue),
            "creation_date": .string(date), "modification_date": .string(date), "default_bootscript": .null,
            "from_server": .string(""), "state": .string("available"), "tags": .array([]), "zone": .string(zone),
        ])
    }
}

enum InstanceImages {
    /// The organization that publishes marketplace images.
    static let publisher = "51b656e3-4865-41e8-adbc-0c45bdd780db"

    /// label, name, arm64 build available
    private static let labels: [(String, String, Bool)] = [
        ("ubuntu_focal", "Ubuntu 20.04 Focal Fossa", true), ("ubuntu_jammy", "Ubuntu 22.04 Jammy Jellyfish", true),
        ("ubuntu_noble", "Ubuntu 24.04 Noble Numbat", true), ("debian_bullseye", "Debian Bullseye", true),
        ("debian_bookworm", "Debian Bookworm", true), ("debian_trixie", "Debian Trixie", true),
        ("rockylinux_9", "Rocky Linux 9", false), ("almalinux_9", "AlmaLinux 9", false),
        ("centos_stream_9", "CentOS Stream 9", false), ("fedora_41", "Fedora 41", false),
        ("docker", "Docker", false),
    ]

    /// Every image of every zone, sorted by type then id (the order the marketplace lists them in).
    static let all: [LocalImage] = Locality.zones.flatMap { zone in
        labels.flatMap { label, name, arm in
            ([CommercialType.Arch.x86] + (arm ? [.arm] : [])).flatMap { arch in
                ["instance_local", "instance_sbs"].map { LocalImage(label: label, name: name, zone: zone, arch: arch, type: $0) }
            }
        }
    }.sorted { ($0.type, $0.id) < ($1.type, $1.id) }

    private static let byID: [String: LocalImage] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    static func find(_ id: String) -> LocalImage? { byID[id.lowercased()] }
}

/// Name-based ids: the same seed always gives the same UUID (FNV-1a, formatted as a v4 UUID), so
/// catalogue ids survive restarts and data files.
enum StableID {
    static func uuid(_ seed: String) -> String {
        func fnv(_ salt: UInt8) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in [salt] + Array(seed.utf8) {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            return hash
        }
        var bytes: [UInt8] = []
        for half in [fnv(1), fnv(2)] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: half >> UInt64(shift))) }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        let h = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(h[$0]) }.joined(separator: "-")
    }
}
