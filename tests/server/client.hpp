// A small client of the game server for tests (docs/protocol.md): HTTP requests and a WebSocket,
// over loopback, with every read bounded in time (a test fails rather than hangs).
#pragma once

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace chokepoint::testing {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Reads on `socket` give up after `seconds`.
inline void read_timeout(tcp::socket& socket, int seconds) {
    timeval tv{seconds, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

struct HttpReply {
    int status = 0;
    std::string body;
    nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

inline HttpReply http(unsigned short port, beast::http::verb verb, const std::string& target, const std::string& body = "",
                      const std::string& token = "") {
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect({net::ip::make_address("127.0.0.1"), port});
    read_timeout(socket, 20);
    beast::http::request<beast::http::string_body> req{verb, target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(beast::http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
        req.set(beast::http::field::content_type, "application/json");
        req.body() = body;
    }
    req.keep_alive(false);
    req.prepare_payload();
    beast::http::write(socket, req);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> res;
    beast::error_code ec;
    beast::http::read(socket, buffer, res, ec);
    if (ec) return {0, ec.message()};
    return {static_cast<int>(res.result_int()), res.body()};
}

// Joins with a code; the token, or "" (with a test failure) when refused.
inline std::string join(unsigned short port, const std::string& code) {
    const HttpReply r = http(port, beast::http::verb::post, "/api/join", nlohmann::json{{"code", code}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().value("token", "") : "";
}

class WsClient {
public:
    WsClient(unsigned short port, const std::string& token) : ws_(ioc_) {
        ws_.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
        read_timeout(ws_.next_layer(), 30);
        ws_.read_message_max(16 * 1024 * 1024);
        ws_.handshake("127.0.0.1", "/ws?token=" + token);
    }

    void send(const std::string& text) {
        ws_.text(true);
        ws_.write(net::buffer(text));
    }
    void send(const nlohmann::json& j) { send(j.dump()); }

    // The next message; null when the connection has closed or nothing came in time.
    nlohmann::json next() {
        beast::flat_buffer buffer;
        beast::error_code ec;
        ws_.read(buffer, ec);
        if (ec) {
            error_ = ec;
            return nullptr;
        }
        ++received_;
        return nlohmann::json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
    }

    // Messages up to the first that `wanted` accepts (null if the connection ends first). Every
    // message read on the way is handed to `seen` (tests that check all a seat receives).
    nlohmann::json next_where(const std::function<bool(const nlohmann::json&)>& wanted,
                              const std::function<void(const nlohmann::json&)>& seen = {}) {
        for (;;) {
            nlohmann::json m = next();
            if (m.is_null()) return m;
            if (seen) seen(m);
            if (wanted(m)) return m;
        }
    }

    beast::error_code error() const { return error_; }
    int received() const { return received_; }
    void close() {
        beast::error_code ignored;
        ws_.close(beast::websocket::close_code::normal, ignored);
    }

private:
    net::io_context ioc_;
    beast::websocket::stream<tcp::socket> ws_;
    beast::error_code error_;
    int received_ = 0;
};

}  // namespace chokepoint::testing
