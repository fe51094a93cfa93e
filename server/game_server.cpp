#include "server/game_server.hpp"

#include <fmt/format.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <atomic>
#include <cctype>
#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "engine/commands/dispatch.hpp"
#include "engine/commands/table.hpp"
#include "engine/savegame/command_json.hpp"
#include "server/team_view.hpp"

namespace chokepoint::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using nlohmann::json;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

namespace {

json error_reply(const std::string& message) { return {{"type", "error"}, {"message", message}}; }

// A message as sent: text that is not UTF-8 (a Lua policy's note, a name from a scenario) is
// replaced rather than thrown on, so no string the game holds can stop the server.
std::string wire(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A seat's view as sent; should building it fail, the seat is told so and the server goes on.
std::string view_text(const view::Snapshot& snap, CountryId seat) {
    try {
        return wire(team_view(snap, seat, std::chrono::steady_clock::now()));
    } catch (const std::exception& e) {
        return wire(error_reply(fmt::format("the view could not be built: {}", e.what())));
    }
}

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The commands of a client's message, each checked against the state the seat decides on.
std::vector<Command> client_commands(const json& list, const Definitions& d, const State& s, CountryId seat,
                                     bool talk_only) {
    if (!list.is_array()) throw std::invalid_argument("\"commands\" must be an array");
    std::vector<Command> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        Command c;
        try {
            c = command_from_client(list[i], d);
        } catch (const std::exception& e) {
            throw std::invalid_argument(fmt::format("command {}: {}", i + 1, e.what()));
        }
        if (talk_only && !is_talk_command(c))
            throw std::invalid_argument(
                fmt::format("command {} ({}): only proposals, answers and withdrawals are said in the talks", i + 1,
                            command_name(c)));
        const CommandResult r = validate_command(d, s, seat, c);
        if (!r.ok) throw std::invalid_argument(fmt::format("command {} ({}) refused: {}", i + 1, command_name(c), r.message));
        out.push_back(std::move(c));
    }
    return out;
}

json decisions_message(view::Session& session, CountryId seat, const json& m) {
    const auto snap = session.snapshot();
    if (!m.contains("turn") || !m["turn"].is_number_integer()) return error_reply("\"turn\" (a whole number) is missing");
    // Read wide, then compared: a turn past int's range must not wrap onto the one being decided.
    // Messages give turns as the protocol does, 0-based (the second hostile review: "turn 6" for 5).
    const long long sent = m["turn"].is_number_unsigned() && m["turn"].get<unsigned long long>() > 1'000'000'000ULL
                               ? 1'000'000'000LL
                               : m["turn"].get<long long>();
    if (!snap->computing)
        return error_reply(fmt::format("turn {} is not being decided now (no turn is being decided)", wire(m["turn"])));
    if (sent != snap->deciding_turn)
        return error_reply(fmt::format("turn {} is not being decided now (turns are 0-based; turn {} is)",
                                       wire(m["turn"]), snap->deciding_turn));
    const int turn = snap->deciding_turn;
    std::vector<Command> commands;
    try {
        commands = client_commands(m.value("commands", json::array()), *snap->defs, snap->state, seat, false);
    } catch (const std::exception& e) {
        return error_reply(e.what());
    }
    if (!session.submit(seat, turn, std::move(commands)))
        return error_reply(fmt::format("the decisions of turn {} are already in, or the seat is not played by people", turn));
    return {{"type", "ack"}, {"what", "decisions"}, {"turn", turn}};
}

json say_message(view::Session& session, CountryId seat, const json& m) {
    const auto snap = session.snapshot();
    if (!snap->talking || snap->talking->seat != seat) return error_reply("it is not your turn to speak");
    if (m.contains("round") && m["round"] != snap->talking->round)
        return error_reply(fmt::format("round {} is over", wire(m["round"])));
    TalkAnswer answer;
    try {
        answer.commands = client_commands(m.value("commands", json::array()), *snap->defs, snap->state, seat, true);
    } catch (const std::exception& e) {
        return error_reply(e.what());
    }
    answer.done = m.value("done", false);
    session.say(seat, std::move(answer));
    return {{"type", "ack"}, {"what", "say"}, {"round", snap->talking->round}};
}

std::string content_type(const std::string& name) {
    const auto ends = [&](const char* ext) { return name.size() > std::strlen(ext) && name.ends_with(ext); };
    if (ends(".html")) return "text/html; charset=utf-8";
    if (ends(".js")) return "text/javascript; charset=utf-8";
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".png")) return "image/png";
    if (ends(".txt")) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

// A file name of the team page: letters, digits, '-', '_' and one '.', nothing that leaves the folder.
bool safe_name(const std::string& name) {
    if (name.empty() || name.size() > 64 || name.front() == '.') return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return name.find("..") == std::string::npos;
}

std::string bearer(const Request& req) {
    const auto it = req.find(http::field::authorization);
    if (it == req.end()) return {};
    const std::string value(it->value());
    return value.starts_with("Bearer ") ? value.substr(7) : std::string();
}

std::string query_value(std::string_view target, std::string_view key) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return {};
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        if (pair.size() > key.size() && pair.substr(0, key.size()) == key && pair[key.size()] == '=')
            return std::string(pair.substr(key.size() + 1));
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return {};
}

std::string_view target_of(const Request& req) {
    const auto t = req.target();
    return {t.data(), t.size()};
}

std::string path_of(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

}  // namespace

namespace {

// Command variant alternative i, default-constructed.
template <std::size_t... I>
Command default_command(std::size_t i, std::index_sequence<I...>) {
    Command out;
    ((i == I ? (out = std::variant_alternative_t<I, Command>{}, true) : false) || ...);
    return out;
}

// A proposal's or counter's clauses with the fields left out at their defaults (Clause{}).
json client_clauses(const json& clauses) {
    if (!clauses.is_array()) throw std::invalid_argument("\"clauses\" must be an array");
    const json blank = command_to_json(Propose{{}, {Clause{}}, 4, ""})["clauses"][0];
    json out = json::array();
    for (const auto& c : clauses) {
        if (!c.is_object()) throw std::invalid_argument("a clause is an object");
        json full = blank;
        for (const auto& [key, value] : c.items()) {
            if (!full.contains(key)) throw std::invalid_argument(fmt::format("a clause has no field \"{}\"", key));
            full[key] = value;
        }
        out.push_back(full);
    }
    return out;
}

}  // namespace

Command command_from_client(const json& j) {
    if (!j.is_object()) throw std::invalid_argument("a command is an object");
    if (!j.contains("command") || !j["command"].is_string()) throw std::invalid_argument("\"command\" (its name) is missing");
    const std::string name = j["command"].get<std::string>();
    for (std::size_t i = 0; i < kCommands.size(); ++i) {
        if (kCommands[i].name != name) continue;
        // The fields left out keep their defaults (those of the game file's form, docs/game-file.md).
        json full = command_to_json(default_command(i, std::make_index_sequence<std::variant_size_v<Command>>{}));
        for (const auto& [key, value] : j.items()) {
            if (key != "index" && full.contains(key)) {
                // A whole-number field (a good, a country, an id) given 1.7 was read as 1 and
                // acknowledged (the second hostile review): refused instead.
                if (full[key].is_number_integer() && value.is_number_float() &&
                    (!std::isfinite(value.get<double>()) || value.get<double>() != std::floor(value.get<double>())))
                    throw std::invalid_argument(
                        fmt::format("{}: \"{}\" must be a whole number, got {}", name, key, value.dump()));
                full[key] = value;
            } else if (key != "index" && key != "command") {
                throw std::invalid_argument(fmt::format("{} has no field \"{}\"", name, key));
            }
        }
        if (full.contains("clauses")) full["clauses"] = client_clauses(full["clauses"]);
        Command c;
        try {
            c = command_from_json(full);
        } catch (const std::exception& e) {
            throw std::invalid_argument(fmt::format("{}: a field is of the wrong type ({})", name, e.what()));
        }
        // Only the engine's own scripted approval rules issue these.
        if (auto* d = std::get_if<DecideLicense>(&c)) d->scripted = false;
        return c;
    }
    throw std::invalid_argument(fmt::format("unknown command \"{}\"", name));
}

Command command_from_client(const json& j, const Definitions& d) {
    Command c = command_from_client(j);
    if (auto* dl = std::get_if<DecideLicense>(&c); dl && !j.contains("validity_turns"))
        dl->validity_turns = d.turns_for_quarters(4);
    return c;
}

json handle_message(view::Session& session, CountryId seat, const std::string& text) {
    json m;
    try {
        m = json::parse(text);
    } catch (const json::parse_error& e) {
        return error_reply(fmt::format("the message is not JSON ({})", e.what()));
    }
    if (!m.is_object() || !m.contains("type") || !m["type"].is_string())
        return error_reply("a message is a JSON object with a \"type\"");
    const std::string type = m["type"].get<std::string>();
    if (!session.snapshot()->defs->has_country(seat))
        return error_reply("this game has no such seat: join again with your seat's code");
    try {
        if (type == "ping") return {{"type", "pong"}};
        if (type == "view") return team_view(*session.snapshot(), seat, std::chrono::steady_clock::now());
        if (type == "decisions") return decisions_message(session, seat, m);
        if (type == "say") return say_message(session, seat, m);
    } catch (const std::exception& e) {  // a message never stops the server
        return error_reply(fmt::format("{}: {}", type, e.what()));
    }
    return error_reply(fmt::format("unknown message type \"{}\"", type));
}

// ---- The server ---------------------------------------------------------------------------

// A browser's WebSocket, over a plain or a TLS stream (WsOn<Stream>); the server keeps them by this base.
class WsSession {
public:
    explicit WsSession(std::string seat) : seat_(std::move(seat)) {}
    virtual ~WsSession() = default;
    const std::string& seat() const { return seat_; }
    // A view for the seat; a view still waiting in the queue is replaced (a slow browser gets the
    // latest, and the queue stays short).
    virtual void send_view(const std::string& text) = 0;
    // Tells the browser why, then closes.
    virtual void close(const std::string& why) = 0;
    bool closed_ = false;  // read and written on the I/O thread only

private:
    std::string seat_;
};

struct GameServer::Impl {
    Impl(view::Session& s, SeatAccess& a, ServerOptions o) : session(s), access(a), options(std::move(o)) {}

    view::Session& session;
    SeatAccess& access;
    ServerOptions options;
    net::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    net::steady_timer poll{ioc};
    std::optional<net::ssl::context> tls;  // --tls: every connection is HTTPS / WSS
    std::thread thread;
    std::uint64_t seen_version = 0;
    std::vector<std::weak_ptr<WsSession>> sockets;  // on the I/O thread only
    // Open WebSockets per seat, counted on the I/O thread at every poll and read by any thread
    // (the facilitator's window asks every frame: it must never wait on the I/O thread).
    mutable std::mutex count_mutex;
    std::map<std::string, int> open_counts;
    void count_open();

    void accept();
    void watch();
    Response http_reply(const Request& req, const std::string& address);
    Response file_reply(const Request& req, const std::string& name);
    void add(const std::shared_ptr<WsSession>& s);
    std::vector<std::shared_ptr<WsSession>> live();
};

template <class Stream>
class WsOn : public WsSession, public std::enable_shared_from_this<WsOn<Stream>> {
public:
    WsOn(Stream&& stream, GameServer::Impl* server, std::string seat, std::string token)
        : WsSession(std::move(seat)), ws_(std::move(stream)), server_(server), token_(std::move(token)) {}

    void run(Request req) {
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.read_message_max(server_->options.max_message);
        ws_.async_accept(req, [self = this->shared_from_this()](beast::error_code ec) {
            if (ec) return;
            self->server_->add(self);
            const auto snap = self->server_->session.snapshot();
            const CountryId id = snap->defs->country_id(self->seat());
            if (id != kNoCountry) self->send_view(view_text(*snap, id));
            self->read();
        });
    }

    // A view still waiting behind the one being written is replaced by the newer one; any other
    // message (an ack, an error) is never replaced.
    void send_view(const std::string& text) override {
        if (queue_.size() > 1 && back_is_view_) {
            queue_.back() = text;
            return;
        }
        send(text);
        back_is_view_ = true;
    }

    void close(const std::string& why) override {
        if (closed_) return;
        send(wire(json{{"type", "kicked"}, {"message", why}}));
        closing_ = true;
    }

private:
    void send(std::string text) {
        if (closed_) return;
        queue_.push_back(std::move(text));
        back_is_view_ = false;
        if (queue_.size() == 1) write();
    }

    void read() {
        ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            // Any error ends the connection; a message over the limit (websocket::error::message_too_big)
            // has made Beast fail the stream, which closes with code 1009.
            if (ec) {
                self->closed_ = true;
                return;
            }
            const std::string text = beast::buffers_to_string(self->buffer_.data());
            self->buffer_.consume(self->buffer_.size());
            if (!self->server_->access.seat_of(self->token_)) {
                self->close("this browser was disconnected by the facilitator");
                return;
            }
            const CountryId id = self->server_->session.snapshot()->defs->country_id(self->seat());
            self->send(wire(handle_message(self->server_->session, id, text)));
            self->read();
        });
    }

    void write() {
        ws_.text(true);
        ws_.async_write(net::buffer(queue_.front()), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                self->closed_ = true;
                return;
            }
            self->queue_.pop_front();
            if (self->queue_.empty()) self->back_is_view_ = false;
            if (!self->queue_.empty()) {
                self->write();
            } else if (self->closing_) {
                self->closed_ = true;
                self->ws_.async_close(websocket::close_code::policy_error, [self](beast::error_code) {});
            }
        });
    }

    websocket::stream<Stream> ws_;
    beast::flat_buffer buffer_;
    GameServer::Impl* server_;
    std::string token_;
    std::deque<std::string> queue_;
    bool back_is_view_ = false;  // the last message queued is a view (replaceable while it waits)
    bool closing_ = false;
};

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection's HTTP requests, until it upgrades to a WebSocket or closes.
template <class Stream>
class HttpOn : public std::enable_shared_from_this<HttpOn<Stream>> {
public:
    template <class... TlsContext>
    HttpOn(tcp::socket socket, GameServer::Impl* server, TlsContext&... tls)
        : stream_(PlainStream(std::move(socket)), tls...), server_(server) {
        beast::error_code ec;
        const auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
        address_ = ec ? std::string("?") : endpoint.address().to_string();
    }

    void start() {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
            stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (!ec) self->read();
            });
        } else {
            read();
        }
    }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(server_->options.max_message);
        parser_->header_limit(8 * 1024);
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
        http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
            Response res{http::status::payload_too_large, 11};
            res.set(http::field::content_type, "application/json");
            res.body() = wire(error_reply("the request is too large"));
            res.keep_alive(false);
            return reply(std::move(res));
        }
        if (ec) return shutdown();
        Request req = parser_->release();
        if (websocket::is_upgrade(req) && path_of(target_of(req)) == "/ws") return upgrade(std::move(req));
        Response res;
        try {
            res = server_->http_reply(req, address_);
        } catch (const std::exception& e) {  // a request never stops the server
            res = Response{http::status::internal_server_error, req.version()};
            res.set(http::field::content_type, "application/json");
            res.body() = wire(error_reply(fmt::format("the server could not answer: {}", e.what())));
        }
        reply(std::move(res));
    }

    void upgrade(Request req) {
        const std::string token = query_value(target_of(req), "token");
        const auto seat = server_->access.seat_of(token);
        if (!seat) {
            Response res{http::status::unauthorized, req.version()};
            res.set(http::field::content_type, "application/json");
            res.body() = wire(error_reply("unknown or expired token: join again with your seat's code"));
            res.keep_alive(false);
            return reply(std::move(res));
        }
        beast::get_lowest_layer(stream_).expires_never();
        std::make_shared<WsOn<Stream>>(std::move(stream_), server_, *seat, token)->run(std::move(req));
    }

    void reply(Response res) {
        res.prepare_payload();
        auto shared = std::make_shared<Response>(std::move(res));
        http::async_write(stream_, *shared, [self = this->shared_from_this(), shared](beast::error_code ec, std::size_t) {
            if (ec || !shared->keep_alive()) return self->shutdown();
            self->read();
        });
    }

    void shutdown() {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
        } else {
            beast::error_code ignored;
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
    }

    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    GameServer::Impl* server_;
    std::string address_;
};

void GameServer::Impl::accept() {
    acceptor.async_accept(net::make_strand(ioc), [self = this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) {
            if (self->tls)
                std::make_shared<HttpOn<TlsStream>>(std::move(socket), self, *self->tls)->start();
            else
                std::make_shared<HttpOn<PlainStream>>(std::move(socket), self)->start();
        }
        self->accept();
    });
}

void GameServer::Impl::add(const std::shared_ptr<WsSession>& s) {
    std::erase_if(sockets, [](const auto& w) { return w.expired() || w.lock()->closed_; });
    sockets.push_back(s);
    count_open();
}

void GameServer::Impl::count_open() {
    std::map<std::string, int> n;
    for (const auto& s : live()) ++n[s->seat()];
    const std::lock_guard lock(count_mutex);
    open_counts = std::move(n);
}

std::vector<std::shared_ptr<WsSession>> GameServer::Impl::live() {
    std::vector<std::shared_ptr<WsSession>> out;
    for (const auto& w : sockets)
        if (auto s = w.lock(); s && !s->closed_) out.push_back(s);
    return out;
}

// Every `poll`: a new snapshot goes to every open WebSocket as its seat's view.
void GameServer::Impl::watch() {
    poll.expires_after(options.poll);
    poll.async_wait([self = this](beast::error_code ec) {
        if (ec) return;
        const auto snap = self->session.snapshot();
        if (snap->version != self->seen_version) {
            self->seen_version = snap->version;
            std::map<std::string, std::string> views;  // one view per seat, however many browsers it has
            for (const auto& s : self->live()) {
                auto it = views.find(s->seat());
                if (it == views.end()) {
                    const CountryId id = snap->defs->country_id(s->seat());
                    if (id == kNoCountry) continue;
                    it = views.emplace(s->seat(), view_text(*snap, id)).first;
                }
                s->send_view(it->second);
            }
        }
        self->count_open();
        self->watch();
    });
}

Response GameServer::Impl::file_reply(const Request& req, const std::string& name) {
    Response res{http::status::ok, req.version()};
    // The coastlines are the one file served from outside the page's folder, by a fixed name.
    const bool land = name == "../map/land-110m.txt";
    std::ifstream in(options.web_dir + "/" + name, std::ios::binary);
    if (!(land || safe_name(name)) || !in) {
        res.result(http::status::not_found);
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.body() = "not found\n";
        return res;
    }
    std::ostringstream body;
    body << in.rdbuf();
    res.set(http::field::content_type, content_type(name));
    res.set(http::field::cache_control, "no-cache");
    res.body() = body.str();
    return res;
}

Response GameServer::Impl::http_reply(const Request& req, const std::string& address) {
    const std::string path = path_of(target_of(req));
    Response res{http::status::ok, req.version()};
    res.keep_alive(req.keep_alive());
    res.set(http::field::server, "chokepoint");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:");
    const auto json_reply = [&](http::status status, const json& body) {
        res.result(status);
        res.set(http::field::content_type, "application/json");
        res.set(http::field::cache_control, "no-store");
        res.body() = wire(body);
        return res;
    };
    if (req.method() == http::verb::get && (path == "/" || path == "/index.html")) {
        Response file = file_reply(req, "index.html");
        file.keep_alive(req.keep_alive());
        return file;
    }
    if (req.method() == http::verb::get && path == "/map/land.txt") {  // the map's coastlines (assets/map)
        Response file = file_reply(req, "../map/land-110m.txt");
        file.keep_alive(req.keep_alive());
        return file;
    }
    if (req.method() == http::verb::get && path.starts_with("/web/")) {
        Response file = file_reply(req, path.substr(5));
        file.keep_alive(req.keep_alive());
        return file;
    }
    if (path == "/api/join") {
        if (req.method() != http::verb::post) return json_reply(http::status::method_not_allowed, error_reply("POST a code"));
        json body = json::parse(req.body(), nullptr, false);
        if (!body.is_object() || !body.contains("code") || !body["code"].is_string())
            return json_reply(http::status::bad_request, error_reply("send {\"code\": \"YOUR CODE\"}"));
        const SeatAccess::Join j = access.join(body["code"].get<std::string>(), address, steady_seconds());
        if (j.outcome == SeatAccess::Outcome::RateLimited) {
            res.set(http::field::retry_after, std::to_string(static_cast<int>(std::ceil(j.retry_after))));
            return json_reply(http::status::too_many_requests,
                              {{"type", "error"}, {"message", "too many wrong codes from this address: wait a minute"},
                               {"retry_after", j.retry_after}});
        }
        if (j.outcome == SeatAccess::Outcome::WrongCode)
            return json_reply(http::status::forbidden, error_reply("wrong code: check it on the projector"));
        const auto snap = session.snapshot();
        const CountryId id = snap->defs->country_id(j.seat);
        return json_reply(http::status::ok, {{"type", "joined"}, {"token", j.token}, {"seat", j.seat},
                                             {"name", id == kNoCountry ? j.seat : snap->defs->countries[id].name}});
    }
    if (path.starts_with("/api/")) {
        const auto seat = access.seat_of(bearer(req));
        if (!seat) return json_reply(http::status::unauthorized, error_reply("join with your seat's code first"));
        const auto snap = session.snapshot();
        const CountryId id = snap->defs->country_id(*seat);
        if (!snap->defs->has_country(id))
            return json_reply(http::status::unauthorized, error_reply("this game has no such seat: join again with your seat's code"));
        if (path == "/api/view" && req.method() == http::verb::get)
            return json_reply(http::status::ok, team_view(*snap, id, std::chrono::steady_clock::now()));
        // /api/seats/SEAT/decisions and /api/seats/SEAT/say: a token acts for its own seat only.
        if (path.starts_with("/api/seats/") && req.method() == http::verb::post) {
            const std::string rest = path.substr(11);
            const auto slash = rest.find('/');
            const std::string target = rest.substr(0, slash), action = slash == std::string::npos ? "" : rest.substr(slash + 1);
            if (target != *seat)
                return json_reply(http::status::forbidden, error_reply(fmt::format("you play {}, not {}", *seat, target)));
            if (action != "decisions" && action != "say") return json_reply(http::status::not_found, error_reply("no such action"));
            json body = json::parse(req.body(), nullptr, false);
            if (!body.is_object()) return json_reply(http::status::bad_request, error_reply("the body is not a JSON object"));
            body["type"] = action;
            const json answer = handle_message(session, id, wire(body));
            return json_reply(answer["type"] == "error" ? http::status::conflict : http::status::ok, answer);
        }
    }
    return json_reply(http::status::not_found, error_reply("not found"));
}

GameServer::GameServer(view::Session& session, SeatAccess& access, ServerOptions options)
    : impl_(std::make_unique<Impl>(session, access, std::move(options))) {
    Impl& s = *impl_;
    if (!s.options.tls_cert.empty() || !s.options.tls_key.empty()) {
        s.tls.emplace(net::ssl::context::tls_server);
        s.tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                           net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
        beast::error_code tls_ec;
        s.tls->use_certificate_chain_file(s.options.tls_cert, tls_ec);
        if (tls_ec) throw std::runtime_error(fmt::format("--tls: cannot read the certificate {}: {}", s.options.tls_cert, tls_ec.message()));
        s.tls->use_private_key_file(s.options.tls_key, net::ssl::context::pem, tls_ec);
        if (tls_ec) throw std::runtime_error(fmt::format("--tls: cannot read the private key {}: {}", s.options.tls_key, tls_ec.message()));
    }
    beast::error_code ec;
    const auto address = net::ip::make_address(s.options.bind, ec);
    if (ec) throw std::runtime_error(fmt::format("--bind {}: not an IP address", s.options.bind));
    const tcp::endpoint endpoint(address, s.options.port);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) s.acceptor.bind(endpoint, ec);
    if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error(
            fmt::format("cannot listen on {}:{}: {}", s.options.bind, s.options.port, ec.message()));
    impl_->accept();
    impl_->watch();
    s.thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

GameServer::~GameServer() { stop(); }

unsigned short GameServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void GameServer::stop() {
    if (!impl_->thread.joinable()) return;
    net::post(impl_->ioc, [impl = impl_.get()] { impl->ioc.stop(); });
    impl_->thread.join();
}

void GameServer::disconnect(const std::string& seat) {
    net::post(impl_->ioc, [impl = impl_.get(), seat] {
        for (const auto& s : impl->live())
            if (s->seat() == seat) s->close("the facilitator gave your seat a new code");
    });
}

std::vector<SeatConnections> GameServer::connections() const {
    std::map<std::string, int> open;
    {
        const std::lock_guard lock(impl_->count_mutex);
        open = impl_->open_counts;
    }
    std::vector<SeatConnections> out;
    for (const auto& seat : impl_->access.seats()) out.push_back({seat, open[seat], impl_->access.joined(seat)});
    return out;
}

}  // namespace chokepoint::server
