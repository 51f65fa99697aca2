// List queries: pagination (page/page_size with total_count in the body, or the Instance API's
// page/per_page with X-Total-Count and Link headers), common filters and order_by.

struct Page {
    let page: Int
    let size: Int

    func slice<T>(_ items: [T]) -> [T] {
        let start = (page - 1) * size
        guard start < items.count else { return [] }
        return Array(items[start..<min(items.count, start + size)])
    }
}

enum ListQuery {
    /// `page` (1-based) and the page size parameter, validated like the API does.
    static func page(_ request: APIRequest, sizeParam: String = "page_size", defaultSize: Int = 50, maxSize: Int = 100) throws -> Page {
        var page = 1
        var size = defaultSize
        if let text = request.http.queryValue("page"), !text.isEmpty {
            guard let p = Int(text), p >= 1 else {
                throw APIError.invalidArgument("page", reason: "constraint", help: "page must be an integer greater than or equal to 1")
            }
            page = p
        }
        if let text = request.http.queryValue(sizeParam), !text.isEmpty {
            guard let s = Int(text), s >= 1, s <= maxSize else {
                throw APIError.invalidArgument(sizeParam, reason: "constraint", help: "\(sizeParam) must be an integer between 1 and \(maxSize)")
            }
            size = s
        }
        return Page(page: page, size: size)
    }

    /// A list-valued parameter, repeated (`tags=a&tags=b`) or comma separated (`tags=a,b`); nil if absent.
    static func strings(_ request: APIRequest, _ name: String) -> [String]? {
        let values = request.http.queryValues(name) + request.http.queryValues(name + "[]")
        guard !values.isEmpty else { return nil }
        return values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }

    static func string(_ request: APIRequest, _ name: String) -> String? {
        guard let v = request.http.queryValue(name), !v.isEmpty else { return nil }
        return v
    }

    static func bool(_ request: APIRequest, _ name: String) throws -> Bool? {
        guard let v = string(request, name) else { return nil }
        switch v.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.invalidArgument(name, reason: "format", help: "\(name) must be true or false, got \"\(v)\"")
        }
    }

    /// Filters shared by the regional APIs: name (substring), tags (any of), project_id, organization_id.
    static func commonFilter(_ request: APIRequest) -> (Record) -> Bool {
        let name = string(request, "name")
        let tags = strings(request, "tags")
        let project = string(request, "project_id") ?? string(request, "project")
        let organization = string(request, "organization_id") ?? string(request, "organization")
        return { record in
            if let name, !record.name.contains(name) { return false }
            if let tags, !tags.isEmpty, Set(tags).isDisjoint(with: record.tags) { return false }
            if let project, record.projectID != project { return false }
            if let organization {
                let org = record.body["organization_id"]?.stringValue ?? record.body["organization"]?.stringValue ?? ""
                if org != organization { return false }
            }
            return true
        }
    }

    /// Sorts by `order_by` (created_at_asc default, created_at_desc, name_asc, name_desc; others ignored).
    static func ordered(_ records: [Record], _ request: APIRequest) -> [Record] {
        switch string(request, "order_by") ?? "created_at_asc" {
        case "created_at_desc": return records.sorted { ($0.createdAt, $0.seq) > ($1.createdAt, $1.seq) }
        case "name_asc": return records.sorted { ($0.name, $0.seq) < ($1.name, $1.seq) }
        case "name_desc": return records.sorted { ($0.name, $0.seq) > ($1.name, $1.seq) }
        default: return records.sorted { ($0.createdAt, $0.seq) < ($1.createdAt, $1.seq) }
        }
    }

    /// `{"<key>":[...],"total_count":N}` for one page of already filtered and ordered items.
    static func bodyPage(_ key: String, _ items: [JSONValue], _ page: Page) -> HTTPResponse {
        .json(200, .object([key: .array(page.slice(items)), "total_count": .int(items.count)]))
    }

    /// Instance API style: `{"<key>":[...]}` with `X-Total-Count` and an RFC 5988 `Link` header.
    static func headerPage(_ key: String, _ items: [JSONValue], _ page: Page, path: String) -> HTTPResponse {
        var response = HTTPResponse.json(200, .object([key: .array(page.slice(items))]))
        response.headers += pageHeaders(total: items.count, page, path: path)
        return response
    }

    /// `X-Total-Count` and `Link` exactly as recorded: first/previous/next/last, comma-joined without
    /// spaces, paths relative to the zone (`/products/servers`), `page=0` as last page of an empty list.
    static func pageHeaders(total: Int, _ page: Page, path: String) -> [(name: String, value: String)] {
        let last = (total + page.size - 1) / page.size
        func link(_ n: Int, _ rel: String) -> String { "<\(path)?page=\(n)&per_page=\(page.size)&>; rel=\"\(rel)\"" }
        var links: [String] = []
        if page.page > 1 { links += [link(1, "first"), link(page.page - 1, "previous")] }
        if page.page < last { links.append(link(page.page + 1, "next")) }
        links.append(link(last, "last"))
        return [("X-Total-Count", String(total)), ("Link", links.joined(separator: ","))]
    }
}
