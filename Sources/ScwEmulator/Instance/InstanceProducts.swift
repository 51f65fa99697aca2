// The commercial types catalogue served by `GET /products/servers` (135 types as recorded in
// fr-par-1, same in every zone), and the lookups server create/update validate against.

struct CommercialType: Sendable {
    enum Arch: String, Sendable { case x86 = "x86_64", arm = "arm64" }

    let name: String
    let arch: Arch
    let ncpus: Int
    let ramGiB: Int
    /// Total local (l_ssd) storage allowed, in GB; 0 = no local volumes (block storage only).
    let localGB: Int
    let hourly: Double
    let monthly: Double
    /// Internet bandwidth, Mbit/s.
    let mbps: Int
    let maxFileSystems: Int
    let blockBandwidth: Int
    var scratch: (gb: Int, count: Int) = (0, 0)
    var internalMbps: Int? = nil
    var gpu: (count: Int, name: String, memoryGiB: Int)? = nil
    var eos = false
    var alt: String? = nil

    static let gb = 1_000_000_000
    static let gib = 1 << 30

    var supportsLocalVolumes: Bool { localGB > 0 }

    /// The object served under `servers.<name>`.
    var json: JSONValue {
        let internalBandwidth = (internalMbps ?? mbps) * 1_000_000
        let internetBandwidth = mbps * 1_000_000
        return .object([
            "alt_names": .array(alt.map { [.string($0)] } ?? []), "arch": .string(arch.rawValue), "ncpus": .int(ncpus),
            "ram": .int(ramGiB * CommercialType.gib), "gpu": .int(gpu?.count ?? 0),
            "gpu_info": gpu.map { .object(["gpu_manufacturer": .string("NVIDIA"), "gpu_name": .string($0.name),
                                           "gpu_memory": .int($0.memoryGiB * CommercialType.gib)]) } ?? .null,
            "mig_profile": .null,
            "volumes_constraint": .object(["min_size": .int(0), "max_size": .int(localGB * CommercialType.gb)]),
            "per_volume_constraint": .object(["l_ssd": .object([
                "min_size": .int(supportsLocalVolumes ? CommercialType.gb : 0),
                "max_size": .int(supportsLocalVolumes ? 800 * CommercialType.gb : 0),
            ])]),
            "scratch_storage_max_size": .int(scratch.gb * CommercialType.gb),
            "scratch_storage_max_volumes_count": .int(scratch.count),
            "monthly_price": .double(monthly), "hourly_price": .double(hourly),
            "capabilities": .object([
                "boot_types": .array([.string("local"), .string("rescue")]), "placement_groups": .bool(true),
                "block_storage": .bool(true), "hot_snapshots_local_volume": .bool(supportsLocalVolumes),
                "private_network": .int(8), "max_file_systems": .int(maxFileSystems),
            ]),
            "network": .object([
                "ipv6_support": .bool(true), "sum_internal_bandwidth": .int(internalBandwidth),
                "sum_internet_bandwidth": .int(internetBandwidth),
                "interfaces": .array([.object(["internal_bandwidth": .int(internalBandwidth),
                                               "internet_bandwidth": .int(internetBandwidth)])]),
            ]),
            "block_bandwidth": .int(blockBandwidth), "end_of_service": .bool(eos),
        ])
    }
}

enum InstanceProducts {
    /// Every type, sorted by name (the order the API pages them in).
    static let all: [CommercialType] = catalogue.sorted { $0.name < $1.name }
    private static let byName: [String: CommercialType] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// A type by name, case-insensitively (the API upper-cases it).
    static func find(_ name: String) -> CommercialType? { byName[name.uppercased()] }

    /// `GET /products/servers`: `{"servers":{"<name>":{...}}}`, a page of the sorted names, with
    /// X-Total-Count and Link like the other legacy lists.
    static func list(_ request: APIRequest, path: String) throws -> HTTPResponse {
        _ = try Locality.zone(request)
        let page = try ListQuery.page(request, sizeParam: "per_page", defaultSize: 50, maxSize: 100)
        var servers: [String: JSONValue] = [:]
        for type in page.slice(all) { servers[type.name] = type.json }
        var response = HTTPResponse.json(200, .object(["servers": .object(servers)]))
        response.headers += ListQuery.pageHeaders(total: all.count, page, path: path)
        return response
    }

    // MARK: catalogue

    // name, arch, vCPUs, RAM GiB, local GB, hourly EUR, monthly EUR, internet Mbit/s, max file systems, block bandwidth
    private static func P(_ name: String, _ arch: CommercialType.Arch, _ ncpus: Int, _ ramGiB: Int, _ localGB: Int,
                          _ hourly: Double, _ monthly: Double, _ mbps: Int, _ fs: Int, _ block: Int,
                          scratch: (Int, Int) = (0, 0), internal internalMbps: Int? = nil, gpu: (Int, String, Int)? = nil,
                          eos: Bool = false, alt: String? = nil) -> CommercialType {
        CommercialType(name: name, arch: arch, ncpus: ncpus, ramGiB: ramGiB, localGB: localGB, hourly: hourly, monthly: monthly,
                       mbps: mbps, maxFileSystems: fs, blockBandwidth: block, scratch: scratch, internalMbps: internalMbps,
                       gpu: gpu.map { (count: $0.0, name: $0.1, memoryGiB: $0.2) }, eos: eos, alt: alt)
    }

    private static let catalogue: [CommercialType] = [
        P("BASIC2-A12C-24G", .arm, 12, 24, 0, 0.1578, 115.194, 1200, 0, 335544320),
        P("BASIC2-A12C-48G", .arm, 12, 48, 0, 0.1807, 131.911, 1200, 0, 335544320),
        P("BASIC2-A16C-32G", .arm, 16, 32, 0, 0.2067, 150.891, 1600, 0, 503316480),
        P("BASIC2-A16C-64G", .arm, 16, 64, 0, 0.2756, 201.188, 1600, 0, 503316480),
        P("BASIC2-A2C-4G", .arm, 2, 4, 0, 0.023, 16.79, 200, 0, 83886080),
        P("BASIC2-A2C-8G", .arm, 2, 8, 0, 0.0345, 25.185, 200, 0, 83886080),
        P("BASIC2-A4C-16G", .arm, 4, 16, 0, 0.0689, 50.297, 400, 0, 125829120),
        P("BASIC2-A4C-8G", .arm, 4, 8, 0, 0.0517, 37.741, 400, 0, 125829120),
        P("BASIC2-A6C-12G", .arm, 6, 12, 0, 0.0789, 57.597, 600, 0, 188743680),
        P("BASIC2-A6C-24G", .arm, 6, 24, 0, 0.0903, 65.919, 600, 0, 188743680),
        P("BASIC2-A8C-16G", .arm, 8, 16, 0, 0.1034, 75.482, 800, 0, 251658240),
        P("BASIC2-A8C-32G", .arm, 8, 32, 0, 0.1378, 100.594, 800, 0, 251658240),
        P("BASIC3-X12C-24G", .x86, 12, 24, 0, 0.2711, 197.903, 2250, 4, 786432000),
        P("BASIC3-X12C-48G", .x86, 12, 48, 0, 0.3104, 226.592, 2250, 4, 786432000),
        P("BASIC3-X16C-32G", .x86, 16, 32, 0, 0.355247, 259.33031, 3000, 4, 1048576000),
        P("BASIC3-X16C-64G", .x86, 16, 64, 0, 0.473285, 345.49805, 3000, 8, 1048576000),
        P("BASIC3-X2C-4G", .x86, 2, 4, 0, 0.039449, 28.79777, 350, 1, 131072000),
        P("BASIC3-X2C-8G", .x86, 2, 8, 0, 0.059225, 43.23425, 350, 1, 131072000),
        P("BASIC3-X4C-16G", .x86, 4, 16, 0, 0.11845, 86.4685, 700, 2, 262144000),
        P("BASIC3-X4C-8G", .x86, 4, 8, 0, 0.079001, 57.67073, 700, 1, 262144000),
        P("BASIC3-X6C-12G", .x86, 6, 12, 0, 0.1356, 98.988, 1050, 2, 393216000),
        P("BASIC3-X6C-24G", .x86, 6, 24, 0, 0.1553, 113.369, 1050, 2, 393216000),
        P("BASIC3-X8C-16G", .x86, 8, 16, 0, 0.177675, 129.70275, 1500, 2, 524288000),
        P("BASIC3-X8C-32G", .x86, 8, 32, 0, 0.236797, 172.86181, 1500, 4, 524288000),
        P("COMPUTE3-X12C-24G", .x86, 12, 24, 0, 0.3511, 256.317, 4000, 4, 500170752, scratch: (240, 2)),
        P("COMPUTE3-X16C-32G", .x86, 16, 32, 0, 0.4682, 341.786, 4000, 4, 500170752, scratch: (320, 4)),
        P("COMPUTE3-X24C-48G", .x86, 24, 48, 0, 0.7022, 512.3176, 6000, 4, 749731840, scratch: (480, 4)),
        P("COMPUTE3-X2C-4G", .x86, 2, 4, 0, 0.0585, 42.705, 500, 1, 500170752, scratch: (40, 1), internal: 4000),
        P("COMPUTE3-X32C-64G", .x86, 32, 64, 0, 0.9363, 683.499, 8000, 8, 1000341504, scratch: (640, 4)),
        P("COMPUTE3-X48C-96G", .x86, 48, 96, 0, 1.397, 1019.81, 16000, 8, 1999634432, scratch: (960, 8)),
        P("COMPUTE3-X4C-8G", .x86, 4, 8, 0, 0.117, 85.41, 1000, 2, 500170752, scratch: (80, 2), internal: 4000),
        P("COMPUTE3-X64C-128G", .x86, 64, 128, 0, 1.8726, 1366.998, 16000, 8, 1999634432, scratch: (1280, 8)),
        P("COMPUTE3-X6C-12G", .x86, 6, 12, 0, 0.1756, 128.1588, 1500, 3, 500170752, scratch: (120, 2), internal: 4000),
        P("COMPUTE3-X8C-16G", .x86, 8, 16, 0, 0.2341, 170.893, 2000, 4, 500170752, scratch: (160, 2), internal: 4000),
        P("COMPUTE3-X96C-192G", .x86, 96, 192, 0, 2.794, 2039.62, 16000, 8, 1999634432, scratch: (1280, 8)),
        P("DEV1-L", .x86, 4, 8, 80, 0.04284, 31.2732, 400, 0, 209715200),
        P("DEV1-M", .x86, 3, 4, 40, 0.020196, 14.74308, 300, 0, 157286400),
        P("DEV1-S", .x86, 2, 2, 20, 0.008976, 6.55248, 200, 0, 104857600),
        P("DEV1-XL", .x86, 4, 12, 120, 0.065076, 47.50548, 500, 0, 262144000),
        P("GP1-L", .x86, 32, 128, 600, 0.77418, 565.1514, 5000, 0, 1073741824),
        P("GP1-M", .x86, 16, 64, 600, 0.38352, 279.9696, 1500, 0, 838860800),
        P("GP1-S", .x86, 8, 32, 300, 0.19074, 139.2402, 800, 0, 524288000),
        P("GP1-XL", .x86, 48, 256, 600, 1.67382, 1221.8886, 10000, 0, 2147483648),
        P("GP1-XS", .x86, 4, 16, 150, 0.09282, 67.7586, 500, 0, 314572800),
        P("L4-1-24G", .x86, 8, 48, 0, 0.7875, 574.875, 2500, 2, 1048576000, gpu: (1, "L4", 24)),
        P("L4-2-24G", .x86, 16, 96, 0, 1.575, 1149.75, 5000, 4, 1572864000, gpu: (2, "L4", 24)),
        P("L4-4-24G", .x86, 32, 192, 0, 3.15, 2299.5, 10000, 8, 2621440000, gpu: (4, "L4", 24)),
        P("L4-8-24G", .x86, 64, 384, 0, 6.3, 4599.0, 20000, 16, 5242880000, gpu: (8, "L4", 24)),
        P("MEMORY3-X12C-96G", .x86, 12, 96, 0, 0.6798, 496.254, 4000, 4, 500170752, scratch: (240, 2)),
        P("MEMORY3-X16C-128G", .x86, 16, 128, 0, 0.9064, 661.672, 4000, 4, 500170752, scratch: (320, 4)),
        P("MEMORY3-X2C-16G", .x86, 2, 16, 0, 0.1133, 82.709, 500, 1, 500170752, scratch: (40, 1), internal: 4000),
        P("MEMORY3-X32C-256G", .x86, 32, 256, 0, 1.8128, 1323.344, 8000, 8, 1000341504, scratch: (640, 4)),
        P("MEMORY3-X48C-384G", .x86, 48, 384, 0, 2.717, 1983.41, 16000, 8, 1999634432, scratch: (960, 8)),
        P("MEMORY3-X4C-32G", .x86, 4, 32, 0, 0.2266, 165.418, 1000, 2, 500170752, scratch: (80, 2), internal: 4000),
        P("MEMORY3-X6C-48G", .x86, 6, 48, 0, 0.3399, 248.127, 1500, 3, 500170752, scratch: (120, 2), internal: 4000),
        P("MEMORY3-X8C-64G", .x86, 8, 64, 0, 0.4532, 330.836, 2000, 4, 500170752, scratch: (160, 2), internal: 4000),
        P("PLAY2-MICRO", .x86, 4, 8, 0, 0.05508, 40.2084, 400, 0, 167772160),
        P("PLAY2-NANO", .x86, 2, 4, 0, 0.02754, 20.1042, 200, 0, 83886080),
        P("PLAY2-PICO", .x86, 1, 2, 0, 0.01428, 10.4244, 100, 0, 41943040),
        P("POP2-12C-48G", .x86, 12, 48, 0, 0.435, 317.55, 2400, 3, 2516582400),
        P("POP2-16C-64G", .x86, 16, 64, 0, 0.59, 430.7, 3200, 4, 3355443200),
        P("POP2-16C-64G-WIN", .x86, 16, 64, 0, 1.4567, 1063.391, 3200, 0, 3355443200),
        P("POP2-24C-96G", .x86, 24, 96, 0, 0.885, 643.05, 4800, 6, 3355443200),
        P("POP2-2C-8G", .x86, 2, 8, 0, 0.0735, 53.655, 400, 1, 419430400),
        P("POP2-2C-8G-WIN", .x86, 2, 8, 0, 0.1823, 133.079, 400, 0, 419430400),
        P("POP2-32C-128G", .x86, 32, 128, 0, 1.18, 861.4, 6400, 8, 5905580032),
        P("POP2-32C-128G-WIN", .x86, 32, 128, 0, 2.9133, 2126.709, 6400, 0, 5905580032),
        P("POP2-48C-192G", .x86, 48, 192, 0, 1.77, 1292.1, 9600, 12, 5905580032),
        P("POP2-4C-16G", .x86, 4, 16, 0, 0.147, 107.31, 800, 1, 838860800),
        P("POP2-4C-16G-WIN", .x86, 4, 16, 0, 0.3637, 265.501, 800, 0, 838860800),
        P("POP2-64C-256G", .x86, 64, 256, 0, 2.35, 1715.5, 12800, 16, 5905580032),
        P("POP2-6C-24G", .x86, 6, 24, 0, 0.225, 160.965, 1200, 1, 1258291200),
        P("POP2-8C-32G", .x86, 8, 32, 0, 0.29, 211.7, 1600, 2, 1677721600),
        P("POP2-8C-32G-WIN", .x86, 8, 32, 0, 0.7233, 528.009, 1600, 0, 1677721600),
        P("POP2-HC-12C-24G", .x86, 12, 24, 0, 0.3192, 233.016, 2400, 3, 2516582400),
        P("POP2-HC-16C-32G", .x86, 16, 32, 0, 0.4256, 310.688, 3200, 4, 3355443200),
        P("POP2-HC-24C-48G", .x86, 24, 48, 0, 0.6384, 466.032, 4800, 6, 3355443200),
        P("POP2-HC-2C-4G", .x86, 2, 4, 0, 0.0532, 38.836, 400, 1, 419430400),
        P("POP2-HC-32C-64G", .x86, 32, 64, 0, 0.8512, 621.376, 6400, 8, 5905580032),
        P("POP2-HC-48C-96G", .x86, 48, 96, 0, 1.27, 927.1, 9600, 12, 5905580032),
        P("POP2-HC-4C-8G", .x86, 4, 8, 0, 0.1064, 77.672, 800, 1, 838860800),
        P("POP2-HC-64C-128G", .x86, 64, 128, 0, 1.7024, 1242.752, 12800, 16, 5905580032),
        P("POP2-HC-6C-12G", .x86, 6, 12, 0, 0.1596, 116.508, 1200, 1, 1258291200),
        P("POP2-HC-8C-16G", .x86, 8, 16, 0, 0.2128, 155.344, 1600, 2, 1677721600),
        P("POP2-HM-12C-96G", .x86, 12, 96, 0, 0.618, 451.14, 2400, 3, 2516582400),
        P("POP2-HM-16C-128G", .x86, 16, 128, 0, 0.824, 601.52, 3200, 4, 3355443200),
        P("POP2-HM-24C-192G", .x86, 24, 192, 0, 1.236, 902.28, 4800, 6, 3355443200),
        P("POP2-HM-2C-16G", .x86, 2, 16, 0, 0.103, 75.19, 400, 2, 419430400),
        P("POP2-HM-32C-256G", .x86, 32, 256, 0, 1.648, 1203.04, 6400, 8, 5905580032),
        P("POP2-HM-48C-384G", .x86, 48, 384, 0, 2.47, 1803.1, 9600, 12, 5905580032),
        P("POP2-HM-4C-32G", .x86, 4, 32, 0, 0.206, 150.38, 800, 1, 838860800),
        P("POP2-HM-64C-512G", .x86, 64, 512, 0, 3.296, 2406.08, 12800, 16, 5905580032),
        P("POP2-HM-6C-48G", .x86, 6, 48, 0, 0.309, 225.57, 1200, 1, 1258291200),
        P("POP2-HM-8C-64G", .x86, 8, 64, 0, 0.412, 300.76, 1600, 2, 1677721600),
        P("POP2-HN-10", .x86, 4, 8, 0, 0.7264, 530.272, 10000, 1, 838860800),
        P("POP2-HN-3", .x86, 2, 4, 0, 0.2554, 186.442, 3000, 1, 419430400),
        P("POP2-HN-5", .x86, 4, 8, 0, 0.4524, 330.252, 5000, 1, 838860800),
        P("PRO2-L", .x86, 32, 128, 0, 0.89454, 653.0142, 6000, 0, 2097152000),
        P("PRO2-M", .x86, 16, 64, 0, 0.44676, 326.1348, 3000, 0, 1048576000),
        P("PRO2-S", .x86, 8, 32, 0, 0.22338, 163.0674, 1500, 0, 524288000),
        P("PRO2-XS", .x86, 4, 16, 0, 0.1122, 81.906, 700, 0, 262144000),
        P("PRO2-XXS", .x86, 2, 8, 0, 0.0561, 40.953, 350, 0, 131072000),
        P("RENDER-S", .x86, 10, 42, 400, 1.221, 891.33, 2000, 0, 2147483648, gpu: (1, "P100", 16)),
        P("STANDARD2-A12C-48G", .arm, 12, 48, 0, 0.3068, 223.964, 2400, 4, 2516582400),
        P("STANDARD2-A16C-64G", .arm, 16, 64, 0, 0.5039, 367.847, 3200, 4, 3355443200),
        P("STANDARD2-A24C-96G", .arm, 24, 96, 0, 0.6551, 478.223, 4800, 6, 5033164800),
        P("STANDARD2-A2C-8G", .arm, 2, 8, 0, 0.0586, 42.778, 400, 1, 419430400),
        P("STANDARD2-A32C-128G", .arm, 32, 128, 0, 1.1978, 874.394, 6400, 8, 5033164800),
        P("STANDARD2-A48C-192G", .arm, 48, 192, 0, 1.5117, 1103.541, 9600, 8, 5033164800),
        P("STANDARD2-A4C-16G", .arm, 4, 16, 0, 0.1171, 85.483, 800, 2, 838860800),
        P("STANDARD2-A64C-256G", .arm, 64, 256, 0, 2.0142, 1470.366, 12800, 8, 5033164800),
        P("STANDARD2-A6C-24G", .arm, 6, 24, 0, 0.1533, 111.909, 1200, 3, 1258291200),
        P("STANDARD2-A8C-32G", .arm, 8, 32, 0, 0.2343, 171.039, 1600, 4, 1677721600),
        P("STANDARD3-X12C-48G", .x86, 12, 48, 0, 0.4626, 337.698, 4000, 4, 500170752, scratch: (240, 2)),
        P("STANDARD3-X16C-64G", .x86, 16, 64, 0, 0.649, 473.77, 4000, 4, 500170752, scratch: (320, 4)),
        P("STANDARD3-X24C-96G", .x86, 24, 96, 0, 0.9411, 687.003, 6000, 6, 749731840, scratch: (480, 4)),
        P("STANDARD3-X2C-8G", .x86, 2, 8, 0, 0.0809, 59.057, 500, 1, 500170752, scratch: (40, 1), internal: 4000),
        P("STANDARD3-X32C-128G", .x86, 32, 128, 0, 1.298, 947.54, 8000, 8, 1000341504, scratch: (640, 4)),
        P("STANDARD3-X48C-192G", .x86, 48, 192, 0, 1.947, 1421.31, 16000, 8, 1999634432, scratch: (960, 8)),
        P("STANDARD3-X4C-16G", .x86, 4, 16, 0, 0.1617, 118.041, 1000, 2, 500170752, scratch: (80, 2), internal: 4000),
        P("STANDARD3-X64C-256G", .x86, 64, 256, 0, 2.585, 1887.05, 16000, 8, 1999634432, scratch: (1280, 8)),
        P("STANDARD3-X6C-24G", .x86, 6, 24, 0, 0.2425, 177.185, 1500, 3, 500170752, scratch: (120, 2), internal: 4000),
        P("STANDARD3-X8C-32G", .x86, 8, 32, 0, 0.319, 232.87, 2000, 4, 500170752, scratch: (160, 2), internal: 4000),
        P("STARDUST1-S", .x86, 1, 1, 10, 0.0006, 0.438, 100, 0, 52428800),
        P("START1-L", .x86, 8, 8, 200, 0.0368, 26.864, 400, 0, 41943040, eos: true),
        P("START1-M", .x86, 4, 4, 100, 0.0194, 14.162, 300, 0, 41943040, eos: true),
        P("START1-S", .x86, 2, 2, 50, 0.0106, 7.738, 200, 0, 41943040, eos: true),
        P("START1-XS", .x86, 1, 1, 25, 0.0062, 4.526, 100, 0, 41943040, eos: true),
        P("VC1L", .x86, 6, 8, 200, 0.02468, 18.0164, 200, 0, 41943040, eos: true, alt: "X64-8GB"),
        P("VC1M", .x86, 4, 4, 100, 0.01555, 11.3515, 200, 0, 41943040, eos: true, alt: "X64-4GB"),
        P("VC1S", .x86, 2, 2, 50, 0.00862, 6.2926, 200, 0, 41943040, eos: true, alt: "X64-2GB"),
        P("X64-120GB", .x86, 12, 120, 800, 0.42574, 310.7902, 1000, 0, 41943040, eos: true),
        P("X64-15GB", .x86, 6, 15, 200, 0.06032, 44.0336, 250, 0, 41943040, eos: true),
        P("X64-30GB", .x86, 8, 30, 400, 0.11906, 86.9138, 500, 0, 41943040, eos: true),
        P("X64-60GB", .x86, 10, 60, 700, 0.213, 155.49, 1000, 0, 41943040, eos: true),
    ]
}
