#include "engine/diplomacy/negotiation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/diplomacy/agreements.hpp"
#include "engine/diplomacy/clauses.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

namespace {

// The clauses of a Propose for one recipient: kThem becomes the recipient.
std::vector<Clause> for_recipient(const std::vector<Clause>& clauses, CountryId to) {
    std::vector<Clause> out = clauses;
    for (auto& c : out) {
        if (c.from == kThem) c.from = to;
        if (c.to == kThem) c.to = to;
    }
    return out;
}

nlohmann::json clauses_json(const Definitions& d, const std::vector<Clause>& clauses) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& c : clauses) j.push_back(to_json(d, c));
    return j;
}

Proposal& add_proposal(const Definitions& d, State& s, CountryId from, CountryId to, std::vector<Clause> clauses,
                       int turns, std::string text, int counter_to, EventList& log) {
    Proposal p;
    p.id = s.next_id++;
    p.from = from;
    p.to = to;
    p.clauses = std::move(clauses);
    p.turns = turns;
    p.note = std::move(text);
    p.counter_to = counter_to;
    p.sent_turn = s.turn;
    p.sent_round = s.negotiation_round;
    p.deadline_turn = s.turn + std::max(0, d.negotiation.deadline_turns);
    s.proposals.push_back(std::move(p));
    Proposal& q = s.proposals.back();
    log.note(s.turn, counter_to ? "counter_proposal" : "proposal", from, to, [&] {
        std::string line = fmt::format("{} {} {} ({}, {} turns): {}", cid(d, from),
                                       counter_to ? fmt::format("counters proposal {} of", counter_to) : "proposes to",
                                       cid(d, to), q.id, turns, describe(d, q.clauses));
        if (!q.note.empty()) line += fmt::format(" — \"{}\"", q.note);
        return EventText{line,
                         {{"proposal", q.id},
                          {"counter_to", counter_to},
                          {"turns", turns},
                          {"clauses", clauses_json(d, q.clauses)},
                          {"deadline_turn", q.deadline_turn},
                          {"note", q.note}}};
    });
    return q;
}

}  // namespace

Proposal* find_proposal(State& s, int id) {
    for (auto& p : s.proposals)
        if (p.id == id) return &p;
    return nullptr;
}
const Proposal* find_proposal(const State& s, int id) { return find_proposal(const_cast<State&>(s), id); }

int proposals_sent_this_turn(const State& s, CountryId country) {
    int n = 0;
    for (const auto& p : s.proposals)
        if (p.from == country && p.sent_turn == s.turn && p.counter_to == 0) ++n;
    return n;
}

CommandResult check_proposal_rate(const Definitions& d, const State& s, CountryId self, int recipients, int queued) {
    const int sent = proposals_sent_this_turn(s, self) + queued;
    if (sent + recipients <= d.negotiation.max_proposals_per_turn) return CommandResult::success();
    return CommandResult::refuse(fmt::format("rate limit: {} proposals per turn (sent {} already, this one goes to {})",
                                             d.negotiation.max_proposals_per_turn, sent, recipients));
}

CommandResult CommandTraits<Propose>::validate(const Definitions& d, const State& s, CountryId self, const Propose& c) {
    if (!d.negotiation.enabled) return CommandResult::refuse("negotiation is switched off in this scenario");
    if (c.to.empty()) return CommandResult::refuse("a proposal needs a recipient");
    for (size_t i = 0; i < c.to.size(); ++i) {
        CountryId to = c.to[i];
        if (!d.has_country(to)) return CommandResult::refuse(fmt::format("unknown recipient {}", to.value()));
        if (to == self) return CommandResult::refuse("a country cannot make a proposal to itself");
        if (std::find(c.to.begin(), c.to.begin() + static_cast<std::ptrdiff_t>(i), to) != c.to.begin() + static_cast<std::ptrdiff_t>(i))
            return CommandResult::refuse(fmt::format("{} is listed twice", cid(d, to)));
    }
    if (auto r = check_proposal_rate(d, s, self, static_cast<int>(c.to.size()), 0); !r.ok) return r;
    if (c.note.size() > 280) return CommandResult::refuse("the note is longer than 280 characters");
    for (CountryId to : c.to)
        if (auto why = proposal_problem(d, s, self, to, for_recipient(c.clauses, to), c.turns); !why.empty())
            return CommandResult::refuse(c.to.size() > 1 ? fmt::format("to {}: {}", cid(d, to), why) : why);
    return CommandResult::success();
}

CommandResult CommandTraits<Respond>::validate(const Definitions& d, const State& s, CountryId self, const Respond& c) {
    const Proposal* p = find_proposal(s, c.proposal_id);
    if (!p) return CommandResult::refuse(fmt::format("no proposal {}", c.proposal_id));
    if (p->to != self)
        return CommandResult::refuse(fmt::format("proposal {} is addressed to {}, not to you", p->id, cid(d, p->to)));
    if (p->status != ProposalStatus::Pending)
        return CommandResult::refuse(fmt::format("proposal {} is already {}", p->id, to_string(p->status)));
    if (s.turn > p->deadline_turn) return CommandResult::refuse(fmt::format("proposal {} has expired", p->id));
    if (c.note.size() > 280) return CommandResult::refuse("the note is longer than 280 characters");
    switch (c.answer) {
        case AnswerKind::Reject: return CommandResult::success();
        case AnswerKind::Accept:
            if (auto why = proposal_problem(d, s, p->from, p->to, p->clauses, p->turns); !why.empty())
                return CommandResult::refuse(fmt::format("cannot accept proposal {}: {}", p->id, why));
            return CommandResult::success();
        case AnswerKind::Counter:
            if (auto why = proposal_problem(d, s, self, p->from, c.clauses, c.turns > 0 ? c.turns : p->turns); !why.empty())
                return CommandResult::refuse(fmt::format("counter to proposal {}: {}", p->id, why));
            return CommandResult::success();
    }
    return CommandResult::refuse("unknown answer");
}

CommandResult CommandTraits<Withdraw>::validate(const Definitions& d, const State& s, CountryId self,
                                                const Withdraw& c) {
    for (const auto& a : s.agreements) {
        if (a.id != c.agreement_id) continue;
        if (!a.involves(self))
            return CommandResult::refuse(fmt::format("agreement {} is between {} and {}, not you", a.id,
                                                     cid(d, a.proposer), cid(d, a.acceptor)));
        if (a.status != AgreementStatus::Active)
            return CommandResult::refuse(fmt::format("agreement {} is already {}", a.id, to_string(a.status)));
        if (a.withdraw_turn >= 0)
            return CommandResult::refuse(fmt::format("agreement {} is already being withdrawn from", a.id));
        // With notice, a withdrawal that could only take effect at or after the agreement's own end
        // would turn its completion into a withdrawal (and cost the trust a completion earns).
        if (d.negotiation.binding && d.negotiation.notice_turns > 0 && s.turn + d.negotiation.notice_turns >= a.end_turn)
            return CommandResult::refuse(fmt::format(
                "agreement {} is complete at the end of {}, before a withdrawal given now would take effect ({} "
                "turn(s) of notice): let it run out",
                a.id, d.date_of_turn(a.end_turn), d.negotiation.notice_turns));
        return CommandResult::success();
    }
    return CommandResult::refuse(fmt::format("no agreement {}", c.agreement_id));
}

void CommandTraits<Propose>::apply(const Definitions& d, State& s, CountryId self, const Propose& c, EventList& log) {
    for (CountryId to : c.to) add_proposal(d, s, self, to, for_recipient(c.clauses, to), c.turns, c.note, 0, log);
}

void CommandTraits<Respond>::apply(const Definitions& d, State& s, CountryId self, const Respond& c, EventList& log) {
    Proposal& p = *find_proposal(s, c.proposal_id);
    p.answered_turn = s.turn;
    p.reason = c.note;
    switch (c.answer) {
        case AnswerKind::Accept: start_agreement(d, s, p, log); break;
        case AnswerKind::Reject:
            p.status = ProposalStatus::Rejected;
            log.note(s.turn, "proposal_rejected", self, p.from, [&] {
                return EventText{fmt::format("{} rejects proposal {} from {}{}", cid(d, self), p.id, cid(d, p.from),
                                             c.note.empty() ? "" : fmt::format(" — \"{}\"", c.note)),
                                 {{"proposal", p.id}, {"note", c.note}}};
            });
            break;
        case AnswerKind::Counter: {
            p.status = ProposalStatus::Countered;
            int turns = c.turns > 0 ? c.turns : p.turns;
            CountryId to = p.from;
            int id = p.id;
            add_proposal(d, s, self, to, c.clauses, turns, c.note, id, log);  // may reallocate: p is not used after
            break;
        }
    }
}

void CommandTraits<Withdraw>::apply(const Definitions& d, State& s, CountryId self, const Withdraw& c, EventList& log) {
    withdraw_agreement(d, s, self, c.agreement_id, c.note, log);
}

std::string CommandTraits<Propose>::describe(const Definitions& d, const Propose& c) {
    std::string to;
    for (CountryId r : c.to) to += (to.empty() ? "" : ", ") + country_name_or_all(d, r);
    std::vector<Clause> shown = c.clauses;
    for (auto& cl : shown) {
        if (cl.from == kThem) cl.from = c.to.empty() ? CountryId{0} : c.to.front();
        if (cl.to == kThem) cl.to = c.to.empty() ? CountryId{0} : c.to.front();
    }
    return fmt::format("propose to {} ({} turns): {}", to, c.turns, chokepoint::describe(d, shown));
}

std::string CommandTraits<Respond>::describe(const Definitions& d, const Respond& c) {
    const char* what = c.answer == AnswerKind::Accept   ? "accept"
                       : c.answer == AnswerKind::Reject ? "reject"
                                                        : "counter";
    std::string out = fmt::format("{} proposal {}", what, c.proposal_id);
    if (c.answer == AnswerKind::Counter) out += ": " + chokepoint::describe(d, c.clauses);
    if (!c.note.empty()) out += fmt::format(" — \"{}\"", c.note);
    return out;
}

std::string CommandTraits<Withdraw>::describe(const Definitions&, const Withdraw& c) {
    return fmt::format("withdraw from agreement {}", c.agreement_id);
}

}  // namespace chokepoint
