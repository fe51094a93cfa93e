// --tls: the server speaks HTTPS and WSS only, with the facilitator's certificate (here a
// self-signed one made by Debian's openssl for the test).
#include <gtest/gtest.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <cstdlib>

#include "server/game_server.hpp"
#include "server/seat_access.hpp"
#include "tests/server/client.hpp"
#include "tests/support/files.hpp"
#include "tests/view/session_wait.hpp"

namespace chokepoint::server {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using nlohmann::json;

// One HTTPS request (the client trusts any certificate: the test's is self-signed).
testing::HttpReply https(unsigned short port, beast::http::verb verb, const std::string& target, const std::string& body) {
    net::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_verify_mode(ssl::verify_none);
    beast::ssl_stream<tcp::socket> stream(ioc, ctx);
    stream.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
    if (auto ec = testing::within(ioc, stream.next_layer(), testing::kReplyDeadline,
                                  [&](auto handler) { stream.async_handshake(ssl::stream_base::client, handler); }))
        return {0, ec.message()};
    return testing::request_on(ioc, stream, verb, target, body, "");
}

TEST(ServerTls, ServesTheTeamPageJoinAndTheWebSocketOverTls) {
    if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs openssl to make a certificate";
    testing::ScratchDir dir("tls");
    const std::string cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
    const std::string make = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
                             " -days 1 -subj /CN=localhost >/dev/null 2>&1";
    ASSERT_EQ(std::system(make.c_str()), 0);

    view::Session session(testing::trio_session({"east"}));
    SeatAccess access({"east"});
    ServerOptions o;
    o.bind = "127.0.0.1";
    o.port = 0;
    o.web_dir = "assets/web";
    o.tls_cert = cert;
    o.tls_key = key;
    GameServer server(session, access, o);
    const unsigned short port = server.port();

    EXPECT_EQ(https(port, beast::http::verb::get, "/", "").status, 200);
    const auto joined = https(port, beast::http::verb::post, "/api/join", json{{"code", access.code("east")}}.dump());
    ASSERT_EQ(joined.status, 200) << joined.body;
    const std::string token = joined.json()["token"];

    // WSS: the view arrives.
    net::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_verify_mode(ssl::verify_none);
    beast::websocket::stream<beast::ssl_stream<tcp::socket>> ws(ioc, ctx);
    beast::get_lowest_layer(ws).connect({net::ip::make_address("127.0.0.1"), port});
    tcp::socket& socket = beast::get_lowest_layer(ws);
    ASSERT_FALSE(testing::within(ioc, socket, testing::kReplyDeadline, [&](auto handler) {
        ws.next_layer().async_handshake(ssl::stream_base::client, handler);
    }));
    ASSERT_FALSE(testing::within(ioc, socket, testing::kReplyDeadline,
                                 [&](auto handler) { ws.async_handshake("127.0.0.1", "/ws?token=" + token, handler); }));
    beast::flat_buffer buffer;
    ASSERT_FALSE(testing::within(ioc, socket, testing::kReplyDeadline, [&](auto handler) { ws.async_read(buffer, handler); }));
    const json view = json::parse(beast::buffers_to_string(buffer.data()));
    EXPECT_EQ(view["type"], "view");
    EXPECT_EQ(view["seat"]["id"], "east");

    // Plain HTTP to a TLS server gets nothing it could use.
    const auto plain = testing::http(port, beast::http::verb::get, "/");
    EXPECT_NE(plain.status, 200);

    // A missing key file is an error that names it.
    ServerOptions bad = o;
    bad.tls_key = (dir.path() / "missing.pem").string();
    try {
        GameServer broken(session, access, bad);
        ADD_FAILURE() << "a missing key file was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.pem"), std::string::npos) << e.what();
    }
    server.stop();
    session.finish();
}

}  // namespace
}  // namespace chokepoint::server
