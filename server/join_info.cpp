#include "server/join_info.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <qrencode.h>

#include <fmt/format.h>

#include "engine/world/files.hpp"

namespace chokepoint::server {

std::string web_folder() {
    if (auto found = find_data_file("assets/web/index.html")) return found->substr(0, found->size() - std::string("/index.html").size());
    return "assets/web";
}

std::string lan_address() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return "127.0.0.1";
    std::string found;
    for (ifaddrs* i = list; i && found.empty(); i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        char text[INET_ADDRSTRLEN] = {};
        const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
        if (std::string(text).rfind("127.", 0) != 0) found = text;
    }
    freeifaddrs(list);
    return found.empty() ? "127.0.0.1" : found;
}

std::string base_url(const std::string& bind, unsigned short port, bool tls) {
    return fmt::format("{}://{}:{}/", tls ? "https" : "http", bind == "0.0.0.0" ? lan_address() : bind, port);
}

std::string join_url(const std::string& base, const std::string& code) { return base + "?code=" + code; }

std::vector<std::vector<bool>> qr_modules(const std::string& text) {
    QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) return {};
    std::vector<std::vector<bool>> rows(code->width, std::vector<bool>(code->width));
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x) rows[y][x] = code->data[y * code->width + x] & 1;
    QRcode_free(code);
    return rows;
}

std::string qr_text(const std::string& text) {
    const auto m = qr_modules(text);
    if (m.empty()) return {};
    const int n = static_cast<int>(m.size()), quiet = 2;
    // Light modules as full blocks: on a terminal's dark background the code reads dark-on-light.
    const auto dark = [&](int y, int x) { return y >= 0 && y < n && x >= 0 && x < n && m[y][x]; };
    std::string out;
    for (int y = -quiet; y < n + quiet; y += 2) {
        for (int x = -quiet; x < n + quiet; ++x) {
            const bool top = !dark(y, x), bottom = !dark(y + 1, x);
            out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        out += '\n';
    }
    return out;
}

}  // namespace chokepoint::server
