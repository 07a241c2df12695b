/* The 经济运行分析 of a report: template sentences over the data. The
 * wording is data (reports/analysis.json, kind "report-analysis", described
 * in docs/operations.md); the facts it may name — a region's growth and its
 * change, rank, completion against the 序时进度, the lagging counties and
 * projects, the open warnings — are read here from the same tables the
 * scenes show (indicator_values, target_progress, projects, warnings,
 * regions in the store), never from copies. A sentence whose facts are
 * missing is replaced by the file's "missing" sentence, never dropped. */
#ifndef LW_ANALYSIS_H
#define LW_ANALYSIS_H
#include "data/store.h"
#include "util/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct analysis; /* a loaded template file */

/* The tables the facts are read from (NULL-terminated). */
extern const char *const analysis_sources[];

/* NULL + *err ("file: json.path: message", unknown placeholders listed
 * with the known ones) on failure. Free with analysis_destroy(). */
struct analysis *analysis_load(const char *path, struct err *err);
void analysis_destroy(struct analysis *a); /* NULL is a no-op */

/* The placeholders a sentence may use, for messages and docs. */
#define ANALYSIS_GLOBALS "region, period, period_cum, date, counties, projects_count, " \
    "projects_lagging_count, projects_lagging, warnings_open, warnings_unhandled, warnings_list"
#define ANALYSIS_FIELDS "name, value, unit, growth, trend, period, prev_period, change, rank, " \
    "scope, county_rank, completion, schedule, gap, vs_city, below, top"

struct analysis_section {
    char *heading, *text; /* owned */
};

/* The generated text: a title and its sections, each one paragraph; the
 * region's name and the data's period ("2024年10月") as the text names
 * them, for the cover ("—" when unknown). */
struct analysis_text {
    char *title, *region, *period;
    struct analysis_section *sections;
    size_t nsections;
};

/* Writes the analysis for region `region` (a regions code; NULL: the
 * city, the regions table's row of kind city) with the data
 * at or before `period` ("2024-10"; NULL or "" for the newest), dated
 * `now`. Never fails: missing tables and values become the missing
 * sentence. Free with analysis_text_finish(). */
void analysis_write(const struct analysis *a, struct store *store, const char *region,
                    const char *period, int64_t now, struct analysis_text *out);
void analysis_text_finish(struct analysis_text *t);

#endif
