/* A report on paper: one PDF of A4 landscape pages — a cover (title,
 * period, region, date, the 内部资料 mark), the 经济运行分析 typeset with
 * Pango (wrapped, justified, flowing onto further pages), then one page
 * per scene, drawn at its design size and scaled onto the page, each with
 * a caption. Every page but the cover has a running head and a page
 * number. */
#ifndef LW_PAPER_H
#define LW_PAPER_H
#include "output/analysis.h"
#include "output/export.h"

/* A4 landscape in PDF points (297 × 210 mm). */
#define PAPER_W 841.89
#define PAPER_H 595.28

struct paper {
    const struct export_job *job;  /* path, scenes, store, theme, now, watermark (scene pages) */
    const char *name;              /* the report's name: 许昌市经济运行分析报告 */
    const char *region;            /* 许昌市 */
    const char *period;            /* the data's period: 2024年10月 */
    const char *topics;            /* the scenes' titles, 、-separated: the cover's 包含专题 */
    const struct analysis_text *analysis; /* may be NULL: no analysis pages */
};

/* Writes the PDF to p->job->path (replacing it atomically). */
bool paper_write(const struct paper *p, struct err *err);

#endif
