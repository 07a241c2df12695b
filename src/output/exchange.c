/* The data exchange document (实时数据交换标准格式): what each panel of each
 * scene shows, as JSON for the city big-data platform — values with their
 * roles, units and periods, the source with its data version, fetch time and
 * staleness. Format and JSON Schema: docs/exchange.md and
 * docs/exchange.schema.json. It runs the same queries as the screen. */
#include "output/exchange.h"
#include "output/compose.h"
#include "util/file.h"
#include "util/json.h"
#include "util/util.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static json_t *iso_time(int64_t t)
{
    char buf[64];
    return json_string(fmt_rfc3339(buf, sizeof buf, t));
}

static json_t *cell(const struct table *t, size_t r, size_t c)
{
    if (table_is_null(t, r, c))
        return json_null();
    if (t->cols[c].type == COL_NUMBER) {
        double v = t->cols[c].num[r];
        if (!isfinite(v))
            return json_null(); /* JSON has no NaN */
        if (v == floor(v) && fabs(v) < 9007199254740992.0)
            return json_integer((json_int_t)v); /* 4, not 4.0 */
        return json_real(v);
    }
    const char *s = t->cols[c].text[r];
    return utf8_valid(s, strlen(s)) ? json_string(s) : json_null();
}

static const char *unit_of(const struct panel *p, const struct catalog_table *def,
                           const char *role, const char *column)
{
    for (size_t i = 0; i < p->nformats; i++)
        if (strcmp(p->formats[i].role, role) == 0 && p->formats[i].unit)
            return p->formats[i].unit;
    int c = def ? catalog_col(def, column) : -1;
    return c >= 0 ? def->cols[c].unit : NULL;
}

static json_t *panel_doc(const struct export_job *job, const struct scene *s,
                         const struct panel *p, int64_t now)
{
    json_t *doc = json_pack("{s:s, s:s}", "id", p->id, "widget", p->widget->name);
    if (p->title) { /* as the screen shows it: the parameters filled in */
        char title[SCENE_MAX_STRING + 64];
        compose_text(title, sizeof title, p->title, s, job->store, NULL);
        json_object_set_new(doc, "title", json_string(title));
    }
    if (!p->has_query) {
        json_object_set_new(doc, "status", json_string("no_binding"));
        return doc;
    }
    const struct query *q = &p->query;
    const struct catalog_table *def = job->catalog ? catalog_find(job->catalog, q->source) : NULL;
    struct table *src = store_get(job->store, q->source);
    json_t *source = json_pack("{s:s}", "name", q->source);
    if (p->provenance) /* the catalog's 数据来源, whatever data the store holds */
        json_object_set_new(source, "provenance", json_string(p->provenance));
    json_object_set_new(doc, "source", source);
    json_t *fields = json_array();
    for (size_t i = 0; i < q->nfields; i++) {
        json_t *f = json_pack("{s:s, s:s}", "role", q->fields[i].role, "column", q->fields[i].column);
        const char *unit = unit_of(p, def, q->fields[i].role, q->fields[i].column);
        if (unit)
            json_object_set_new(f, "unit", json_string(unit));
        int c = def ? catalog_col(def, q->fields[i].column) : -1;
        if (c >= 0)
            json_object_set_new(f, "title", json_string(def->cols[c].title));
        json_array_append_new(fields, f);
    }
    json_object_set_new(doc, "fields", fields);
    if (!src) {
        json_object_set_new(doc, "status", json_string("no_source"));
        return doc;
    }
    json_object_set_new(source, "version", json_integer((json_int_t)src->version));
    json_object_set_new(source, "fetched_at", iso_time(src->fetched_at));
    enum compose_state state = compose_panel_state(q, src, job->store, now);
    json_object_set_new(source, "offline", json_boolean(state == COMPOSE_OFFLINE));
    json_object_set_new(source, "stale", json_boolean(state != COMPOSE_FRESH));
    struct err err;
    struct table *data = compose_query(q, src, job->store, &err);
    if (!data) {
        json_object_set_new(doc, "status", json_string("bad_columns"));
        json_object_set_new(doc, "error", json_string(err.msg));
    } else {
        json_object_set_new(doc, "status", json_string(data->nrows ? "ok" : "empty"));
        int pc = table_col(data, "period");
        if (pc < 0 && (pc = table_col(data, "x")) >= 0 && data->cols[pc].type != COL_PERIOD)
            pc = -1;
        const char *latest = NULL;
        json_t *rows = json_array();
        for (size_t r = 0; r < data->nrows; r++) {
            json_t *row = json_object();
            for (size_t c = 0; c < data->ncols; c++)
                json_object_set_new(row, data->cols[c].name, cell(data, r, c));
            json_array_append_new(rows, row);
            const char *per = pc >= 0 ? table_text(data, r, (size_t)pc) : NULL;
            if (per && (!latest || strcmp(per, latest) > 0))
                latest = per;
        }
        if (latest)
            json_object_set_new(doc, "period", json_string(latest));
        json_object_set_new(doc, "rows", rows);
    }
    table_unref(data);
    table_unref(src);
    return doc;
}

json_t *exchange_document(const struct export_job *job)
{
    json_t *scenes = json_array();
    for (size_t i = 0; i < job->nscenes; i++) {
        const struct scene *s = job->scenes[i];
        json_t *params = json_object(), *panels = json_array();
        for (size_t k = 0; k < s->nparams; k++)
            json_object_set_new(params, s->params[k].name, json_string(s->params[k].value));
        for (size_t k = 0; k < s->npanels; k++)
            json_array_append_new(panels, panel_doc(job, s, &s->panels[k], job->now));
        char title[SCENE_MAX_STRING + 64], subtitle[SCENE_MAX_STRING + 64];
        compose_scene_texts(title, subtitle, sizeof title, s, job->store);
        json_t *sd = json_pack("{s:s, s:s, s:o, s:o}", "name", s->name, "title", title,
                               "params", params, "panels", panels);
        if (s->subtitle)
            json_object_set_new(sd, "subtitle", json_string(subtitle));
        json_array_append_new(scenes, sd);
    }
    return json_pack("{s:s, s:i, s:o, s:{s:s, s:s}, s:s, s:o}", "format", "lotuswall-exchange",
                     "version", EXCHANGE_VERSION, "generated_at", iso_time(job->now), "producer",
                     "name", "lotuswall", "version", LW_VERSION, "data", job->db ? "database" : "demo",
                     "scenes", scenes);
}

bool exchange_write(const struct export_job *job, struct err *err)
{
    json_t *doc = exchange_document(job);
    bool ok = json_write_file(doc, job->path,
                              JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15),
                              FILE_SYNC, err);
    json_decref(doc);
    return ok;
}
