// MarketplaceAPI: the marketplace's local images (`/marketplace/v2/local-images`), used to
// turn an image label such as `ubuntu_jammy` into the image UUID of a zone and server type.

import ScwCore

/// Typed calls to `/marketplace/v2`.
public struct MarketplaceAPI: Sendable {
    /// The client every call goes through.
    public let client: ScalewayClient

    /// The service over a client.
    public init(client: ScalewayClient) {
        self.client = client
    }

    /// The local images of a label in a zone (all pages). `type` is `instance_sbs` (block root
    /// volume) or `instance_local` (`l_ssd` root volume). The label is sent as given.
    public func listLocalImages(zone: String, label: String, type: String) async throws -> [LocalImage] {
        let query = [("image_label", label), ("order_by", "type_asc"), ("type", type), ("zone", zone)]
        return try await client.listAll("/marketplace/v2/local-images", itemsKey: "local_images", query: query, style: .pageSize)
            .map { try LocalImage(json: $0) }
    }

    /// The label as the API knows it: dashes become underscores (`ubuntu-jammy` → `ubuntu_jammy`).
    public static func canonicalLabel(_ label: String) -> String {
        label.replacingAll("-", with: "_")
    }

    /// The first image of `images` that boots `commercialType` (compared upper-cased), as the
    /// provider picks it; nil when none does.
    public static func pick(_ images: [LocalImage], commercialType: String) -> LocalImage? {
        let wanted = commercialType.uppercased()
        return images.first { $0.compatibleCommercialTypes.contains { $0.uppercased() == wanted } }
    }

    /// Resolves a label for a zone and commercial type; nil when no image of that label boots
    /// the type there.
    public func resolveImage(zone: String, label: String, commercialType: String, type: String) async throws -> LocalImage? {
        Self.pick(try await listLocalImages(zone: zone, label: Self.canonicalLabel(label), type: type), commercialType: commercialType)
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
