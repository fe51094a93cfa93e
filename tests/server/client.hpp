// A small client of the game server for tests (docs/protocol.md): HTTP requests and a WebSocket,
// over loopback. Every read is an asynchronous operation with a deadline (`within`): when the
// server does not answer in time the socket is cancelled and the test fails instead of hanging.
// (A socket timeout such as SO_RCVTIMEO would not do: Asio's synchronous reads poll without one.)
#pragma once

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace chokepoint::testing {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// How long a test waits for any one reply of the server.
inline constexpr std::chrono::seconds kReplyDeadline{30};

// Starts an asynchronous operation on `ioc` with `start(handler)` and runs it to its end, or
// until `limit` has passed: then the operations on `socket` (the stream's lowest layer) are
// cancelled and the result is net::error::timed_out.
template <class Start>
beast::error_code within(net::io_context& ioc, tcp::socket& socket, std::chrono::steady_clock::duration limit,
                         Start start) {
    std::optional<beast::error_code> result;
    bool timed_out = false;
    net::steady_timer timer(ioc, limit);
    timer.async_wait([&](beast::error_code ec) {
        if (ec || result) return;
        timed_out = true;
        beast::error_code ignored;
        socket.cancel(ignored);
    });
    start([&](beast::error_code ec, auto&&...) {
        result = ec;
        timer.cancel();
    });
    ioc.restart();
    ioc.run();
    if (timed_out) return net::error::timed_out;
    return result.value_or(net::error::operation_aborted);
}

struct HttpReply {
    int status = 0;  // 0: no reply (body says why)
    std::string body;
    nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One request on a connected stream (plain or TLS), its reply read within the deadline.
template <class Stream>
HttpReply request_on(net::io_context& ioc, Stream& stream, beast::http::verb verb, const std::string& target,
                     const std::string& body, const std::string& token) {
    beast::http::request<beast::http::string_body> req{verb, target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(beast::http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
        req.set(beast::http::field::content_type, "application/json");
        req.body() = body;
    }
    req.keep_alive(false);
    req.prepare_payload();
    tcp::socket& socket = beast::get_lowest_layer(stream);
    if (auto ec = within(ioc, socket, kReplyDeadline, [&](auto handler) { beast::http::async_write(stream, req, handler); }))
        return {0, ec.message()};
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> res;
    if (auto ec = within(ioc, socket, kReplyDeadline,
                         [&](auto handler) { beast::http::async_read(stream, buffer, res, handler); }))
        return {0, ec.message()};
    return {static_cast<int>(res.result_int()), res.body()};
}

inline HttpReply http(unsigned short port, beast::http::verb verb, const std::string& target, const std::string& body = "",
                      const std::string& token = "") {
    net::io_context ioc;
    tcp::socket socket(ioc);
    beast::error_code ec;
    socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return {0, ec.message()};
    return request_on(ioc, socket, verb, target, body, token);
}

// Joins with a code; the token, or "" (with a test failure) when refused.
inline std::string join(unsigned short port, const std::string& code) {
    const HttpReply r = http(port, beast::http::verb::post, "/api/join", nlohmann::json{{"code", code}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().value("token", "") : "";
}

class WsClient {
public:
    // Throws boost::system::system_error when the server refuses the WebSocket (or does not answer).
    WsClient(unsigned short port, const std::string& token) : ws_(ioc_) {
        ws_.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
        ws_.read_message_max(16 * 1024 * 1024);
        error_ = within(ioc_, ws_.next_layer(), kReplyDeadline,
                        [&](auto handler) { ws_.async_handshake("127.0.0.1", "/ws?token=" + token, handler); });
        if (error_) throw boost::system::system_error(error_, "WebSocket handshake");
    }

    void send(const std::string& text) {
        if (error_) return;
        ws_.text(true);
        error_ = within(ioc_, ws_.next_layer(), kReplyDeadline,
                        [&](auto handler) { ws_.async_write(net::buffer(text), handler); });
    }
    void send(const nlohmann::json& j) { send(j.dump()); }

    // The next message; null when the connection has closed or nothing came within `limit`.
    nlohmann::json next(std::chrono::steady_clock::duration limit = kReplyDeadline) {
        if (error_) return nullptr;
        beast::flat_buffer buffer;
        error_ = within(ioc_, ws_.next_layer(), limit, [&](auto handler) { ws_.async_read(buffer, handler); });
        if (error_) return nullptr;
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
        if (error_) return;
        within(ioc_, ws_.next_layer(), std::chrono::seconds(5),
               [&](auto handler) { ws_.async_close(beast::websocket::close_code::normal, handler); });
    }

private:
    net::io_context ioc_;
    beast::websocket::stream<tcp::socket> ws_;
    beast::error_code error_;
    int received_ = 0;
};

}  // namespace chokepoint::testing
