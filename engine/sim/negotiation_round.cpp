#include "engine/sim/negotiation_round.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/commands/dispatch.hpp"
#include "engine/diplomacy/negotiation.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

void negotiate(const Definitions& d, State& s, const PerCountry<Policy*>& policies, PerCountry<int>& forecasts_left,
               EventList& log) {
    for (auto& p : s.proposals)
        if (p.status == ProposalStatus::Pending && s.turn > p.deadline_turn) {
            p.status = ProposalStatus::Expired;
            log.note(s.turn, "proposal_expired", p.to, p.from, [&] {
                return EventText{
                    fmt::format("proposal {} from {} to {} expired unanswered", p.id, cid(d, p.from), cid(d, p.to)),
                    {{"proposal", p.id}}};
            });
        }
    // Round 0 is always held: a seat played by people may propose in it with nothing to hear.
    bool wanted = true;
    for (int round = 0; round < d.negotiation.rounds; ++round) {
        s.negotiation_round = round;
        const bool unheard = std::any_of(s.proposals.begin(), s.proposals.end(), [](const Proposal& p) {
            return p.status == ProposalStatus::Pending && !p.presented;
        });
        if (!unheard && !wanted) break;
        wanted = false;
        std::vector<IssuedCommand> queue;
        for (CountryId c : d.country_ids()) {
            PolicyContext ctx(d, s, c, queue, log);
            ctx.set_forecast_budget(&forecasts_left);
            // Index loop and copy: a callback sees the list as it was when the round began.
            const size_t n = s.proposals.size();
            bool heard = false;
            for (size_t i = 0; i < n; ++i) {
                if (s.proposals[i].to != c || s.proposals[i].status != ProposalStatus::Pending || s.proposals[i].presented)
                    continue;
                s.proposals[i].presented = true;
                heard = true;
                const Proposal p = s.proposals[i];
                policies[c]->on_proposal(ctx, p);
            }
            if (policies[c]->on_round(ctx, heard)) wanted = true;
        }
        for (const auto& cmd : queue) {
            CommandResult r = apply_command(d, s, cmd.country, cmd.command, log);
            if (!r.ok) {
                // An accepted proposal that can no longer be fulfilled fails, with the reason.
                if (const auto* resp = std::get_if<Respond>(&cmd.command); resp && resp->answer == AnswerKind::Accept)
                    if (Proposal* p = find_proposal(s, resp->proposal_id); p && p->status == ProposalStatus::Pending) {
                        p->status = ProposalStatus::Failed;
                        p->reason = r.message;
                    }
                log.note(s.turn, "command_refused", cmd.country, kNoCountry, [&] {
                    return EventText{fmt::format("{}: {} refused when applied: {}", cid(d, cmd.country),
                                                 command_name(cmd.command), r.message),
                                     {{"command", command_name(cmd.command)}, {"reason", r.message}}};
                });
            }
        }
    }
    s.negotiation_round = d.negotiation.rounds;
}

}  // namespace chokepoint
