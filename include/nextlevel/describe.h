#ifndef NEXTLEVEL_DESCRIBE_H
#define NEXTLEVEL_DESCRIBE_H

#include "nextlevel/evaluate.h"

/* One-line texts about a person's result, shared by every report format. Each returns a new
 * string the caller frees ("" when there is nothing to say), or NULL when out of memory. */

/* "system_design +1 (3 -> 4); communication +0.5 (3 -> 3.5) [soft]" */
char *nl_describe_plan(const nl_framework *fw, const nl_track_result *track);

/* The reasons of the failed gates of the given severity, joined with "; ". */
char *nl_describe_failed(const nl_framework *fw, const nl_track_result *track,
                         nl_severity severity);

/* The mitigations of the failed soft gates, joined with "; ". */
char *nl_describe_mitigations(const nl_framework *fw, const nl_track_result *track);

/* "balanced: Developing; delivery_first: Ready now" */
char *nl_describe_profiles(const nl_framework *fw, const nl_person_result *result);

/* Every track's outcome, readiness score and the skills its plan raises (Not evaluated: the
 * skills it lacks): "L4: Developing (72.5; short: coding, testing); M1: Ready now (100.0)" */
char *nl_describe_tracks(const nl_framework *fw, const nl_person_result *result);

/* "Ready now when technical's share of the technical+soft weight goes above 0.620 (now 0.500)",
 * or "none in [0,1]"; "" when the template has no two families to compare. */
char *nl_describe_tipping(const nl_framework *fw, const nl_evaluator *ev,
                          const nl_person_result *result);

/* The skills the next level expects that are not assessed, and other missing inputs. */
char *nl_describe_missing(const nl_framework *fw, const nl_track_result *track);

/* The reasons a manager repeats: the failed hard gates, else the failed soft gates, else a
 * line saying every gate passed. For a person not evaluated: "Not evaluated: missing X", then
 * "; already fails: " and the hard gates that fail whatever the missing data turn out to be. */
char *nl_describe_summary(const nl_framework *fw, const nl_person_result *result);

/* A gate's parameters: "families technical; tolerance 0", "visibility >= 3", with the values
 * given per next level ("min_months 12; L5: 24") and the levels it is limited to ("; applies
 * only to L5, L6"). */
char *nl_describe_gate_parameters(const nl_framework *fw, const nl_gate *gate);

/* One param's value as the template gives it, in full: "12; L5: 24" (the plain value, then each
 * level's own), or "L4: 12; L5: 24" when it is given per level only. */
char *nl_describe_gate_param(const nl_framework *fw, const nl_gate *gate, nl_gate_param_id which);

/* The next levels a gate applies to, "L5, L6", or NULL when it applies to every level. */
char *nl_describe_gate_levels(const nl_framework *fw, const nl_gate *gate);

/* The --threshold overrides in the order given, "ready 85; ready at L4 80", or "" without
 * any. Returns a new string, or NULL when out of memory. */
char *nl_describe_threshold_overrides(const nl_framework *fw);

#endif
