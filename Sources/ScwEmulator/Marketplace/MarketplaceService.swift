// Marketplace API v2 (global): the local images that resolve an image label for a zone, arch and
// volume kind (`GET /marketplace/v2/local-images?image_label=ubuntu_jammy&zone=fr-par-1&type=instance_sbs`).

struct MarketplaceService: EmulatedService {
    func register(on router: Router) {
        router.add("GET", "/marketplace/v2/local-images") { try listLocalImages($0) }
        router.add("GET", "/marketplace/v2/local-images/{id}") { try getLocalImage($0) }
    }

    /// Filters: image_label, zone, type, arch, image_id (unknown filters ignored); page/page_size.
    private func listLocalImages(_ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request)
        let label = ListQuery.string(request, "image_label")
        let zone = ListQuery.string(request, "zone")
        let type = ListQuery.string(request, "type")
        let arch = ListQuery.string(request, "arch")
        if let zone, !Locality.zones.contains(zone) {
            throw APIError.invalidArgument("zone", reason: "constraint",
                                           help: "unknown zone \"\(zone)\"; must be one of \(Locality.zones.joined(separator: ", "))")
        }
        if let type, !["instance_sbs", "instance_local", "unknown_type"].contains(type) {
            throw APIError.invalidArgument("type", reason: "constraint", help: "type must be instance_sbs or instance_local, got \"\(type)\"")
        }
        var images = InstanceImages.all.filter { image in
            (label == nil || image.label == label) && (zone == nil || image.zone == zone)
                && (type == nil || type == "unknown_type" || image.type == type) && (arch == nil || image.arch.rawValue == arch)
        }
        if ListQuery.string(request, "order_by") == "type_desc" { images.reverse() }
        return ListQuery.bodyPage("local_images", images.map(\.marketplaceJSON), page)
    }

    private func getLocalImage(_ request: APIRequest) throws -> HTTPResponse {
        let id = request.param("id")
        guard let image = InstanceImages.find(id) else { throw APIError.notFound(resource: "local_image", id: id) }
        return .json(200, image.marketplaceJSON)
    }
}
