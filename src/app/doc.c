/* `lotuswall doc widgets` prints the widget reference of docs/scene-format.md
 * and `lotuswall doc schema` the JSON Schema of scene files, both generated
 * from the widgets' own tables, so the docs cannot drift from the code. */
#include "app/app.h"
#include "app/cli.h"
#include "render/theme.h"
#include "util/util.h"
#include "widgets/widget.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *type_name(enum prop_type t)
{
    static const char *names[] = {"number", "integer", "boolean", "string", "enum", "colour",
                                  "array of strings", "array of numbers"};
    return names[t];
}

static void print_widgets(void)
{
    for (const struct widget_class *const *w = widget_classes; *w; w++) {
        const struct widget_spec *s = &(*w)->spec;
        printf("### `%s` — %s\n\n%s\n\n", s->name, s->title, s->doc);
        printf("Binding: %s.\n\n", s->needs_data ? "required" : "none");
        if (s->roles && s->roles[0].name) {
            printf("| role | required | type | meaning |\n|---|---|---|---|\n");
            for (const struct role_spec *r = s->roles; r->name; r++)
                printf("| `%s` | %s | %s | %s |\n", r->name, r->required ? "yes" : "no",
                       r->numeric ? "number" : "any", r->doc);
            printf("\n");
        }
        if (s->props && s->props[0].name) {
            printf("| option | type | default | meaning |\n|---|---|---|---|\n");
            for (const struct prop_spec *p = s->props; p->name; p++) {
                char type[160];
                if (p->type == PROP_ENUM)
                    snprintf(type, sizeof type, "one of `%s`", p->values);
                else if (p->type == PROP_NUMBER || p->type == PROP_INT)
                    snprintf(type, sizeof type, "%s %g–%g", type_name(p->type), p->min, p->max);
                else
                    snprintf(type, sizeof type, "%s", type_name(p->type));
                printf("| `%s` | %s | `%s` | %s |\n", p->name, type, p->def ? p->def : "",
                       p->doc);
            }
            printf("\n");
        }
    }
}

static json_t *prop_schema(const struct prop_spec *p)
{
    switch (p->type) {
    case PROP_NUMBER:
        return json_pack("{s:s, s:f, s:f}", "type", "number", "minimum", p->min, "maximum", p->max);
    case PROP_INT:
        return json_pack("{s:s, s:f, s:f}", "type", "integer", "minimum", p->min, "maximum", p->max);
    case PROP_BOOL:
        return json_pack("{s:s}", "type", "boolean");
    case PROP_STRING:
        return json_pack("{s:s, s:i}", "type", "string", "maxLength", SCENE_MAX_STRING);
    case PROP_COLOR:
        return json_pack("{s:s, s:s}", "type", "string", "pattern",
                         "^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$");
    case PROP_STRINGS:
        return json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type", "string");
    case PROP_NUMBERS:
        return json_pack("{s:s, s:{s:s, s:f, s:f}}", "type", "array", "items", "type", "number",
                         "minimum", p->min, "maximum", p->max);
    case PROP_ENUM: {
        json_t *e = json_array();
        char buf[512];
        snprintf(buf, sizeof buf, "%s", p->values);
        for (char *save, *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
            json_array_append_new(e, json_string(tok));
        return json_pack("{s:o}", "enum", e);
    }
    }
    return json_object();
}

/* The fixed part of the schema; the widget-dependent parts are added below. */
static const char base_schema[] =
    "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
    " \"title\": \"lotuswall scene, format version 1\","
    " \"type\": \"object\","
    " \"required\": [\"kind\", \"version\", \"title\", \"design\", \"grid\", \"panels\"],"
    " \"patternProperties\": {\"^_\": {}},"
    " \"additionalProperties\": false,"
    " \"properties\": {"
    "  \"kind\": {\"const\": \"scene\"}, \"version\": {\"const\": 1},"
    "  \"name\": {\"type\": \"string\", \"pattern\": \"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$\"},"
    " \"title\": {\"type\": \"string\", \"maxLength\": 4096},"
    "  \"subtitle\": {\"type\": \"string\", \"maxLength\": 4096},"
    "  \"design\": {\"type\": \"array\", \"minItems\": 2, \"maxItems\": 2,"
    "             \"items\": {\"type\": \"integer\", \"minimum\": 240, \"maximum\": 16384}},"
    "  \"fit\": {\"enum\": [\"fit\", \"fill\", \"stretch\", \"extend\"]},"
    "  \"theme\": {\"enum\": [\"dark\", \"light\"]},"
    "  \"grid\": {\"type\": \"object\", \"required\": [\"cols\", \"rows\"],"
    "    \"additionalProperties\": false, \"patternProperties\": {\"^_\": {}}, \"properties\": {"
    "    \"cols\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 96},"
    "    \"rows\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 96},"
    "    \"gap\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 400},"
    "    \"padding\": {\"oneOf\": [{\"type\": \"number\", \"minimum\": 0},"
    "                {\"type\": \"array\", \"items\": {\"type\": \"number\", \"minimum\": 0},"
    "                 \"minItems\": 4, \"maxItems\": 4}]},"
    "    \"row_weights\": {\"type\": \"array\", \"items\": {\"type\": \"number\", \"exclusiveMinimum\": 0}},"
    "    \"col_weights\": {\"type\": \"array\", \"items\": {\"type\": \"number\", \"exclusiveMinimum\": 0}}}},"
    "  \"params\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}},"
    "  \"layouts\": {\"type\": \"array\", \"maxItems\": 8, \"items\": {\"type\": \"object\","
    "    \"required\": [\"name\", \"grid\", \"areas\"], \"additionalProperties\": false,"
    "    \"anyOf\": [{\"required\": [\"min_aspect\"]}, {\"required\": [\"max_aspect\"]}],"
    "    \"patternProperties\": {\"^_\": {}}, \"properties\": {"
    "    \"name\": {\"type\": \"string\"},"
    "    \"min_aspect\": {\"type\": \"number\", \"minimum\": 0.1, \"maximum\": 20},"
    "    \"max_aspect\": {\"type\": \"number\", \"minimum\": 0.1, \"maximum\": 20},"
    "    \"design\": {\"$ref\": \"#/properties/design\"}, \"grid\": {\"$ref\": \"#/properties/grid\"},"
    "    \"areas\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"array\","
    "      \"minItems\": 4, \"maxItems\": 4, \"items\": {\"type\": \"integer\", \"minimum\": 0}}}}}},"
    "  \"panels\": {\"type\": \"array\", \"minItems\": 1, \"maxItems\": 256, \"items\": {"
    "    \"type\": \"object\", \"required\": [\"id\", \"widget\"],"
    "    \"anyOf\": [{\"required\": [\"area\"]}, {\"required\": [\"level\"]}],"
    "    \"additionalProperties\": false, \"patternProperties\": {\"^_\": {}}, \"properties\": {"
    "    \"id\": {\"type\": \"string\"}, \"widget\": {\"enum\": []},"
    "    \"area\": {\"type\": \"array\", \"minItems\": 4, \"maxItems\": 4,"
    "             \"items\": {\"type\": \"integer\", \"minimum\": 0}},"
    "    \"title\": {\"type\": \"string\"}, \"footnote\": {\"type\": \"string\"},"
    "    \"note\": {\"type\": \"string\"}, \"empty\": {\"type\": \"string\"},"
    "    \"level\": {\"enum\": [\"city\", \"county\"]}, \"alternate\": {\"type\": \"string\"},"
    "    \"drill\": {\"type\": \"object\", \"required\": [\"scene\", \"params\"],"
    "      \"additionalProperties\": false, \"properties\": {\"scene\": {\"type\": \"string\"},"
    "      \"params\": {\"type\": \"object\", \"minProperties\": 1,"
    "                 \"additionalProperties\": {\"type\": \"string\"}},"
    "      \"label\": {\"type\": \"string\"}}},"
    "    \"frame\": {\"type\": \"boolean\"}, \"binding\": {\"type\": \"object\"},"
    "    \"format\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"object\","
    "       \"additionalProperties\": false, \"properties\": {"
    "       \"decimals\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 6},"
    "       \"thousands\": {\"type\": \"boolean\"}, \"scale\": {\"type\": \"number\", \"exclusiveMinimum\": 0},"
    "       \"unit\": {\"type\": \"string\"}, \"sign\": {\"type\": \"boolean\"},"
    "       \"time\": {\"type\": \"string\", \"pattern\": \"^([^%]|%[YmdHMS%])*$\"}}}},"
    "    \"thresholds\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
    "       \"required\": [\"value\", \"color\"], \"additionalProperties\": false, \"properties\": {"
    "       \"value\": {\"type\": \"number\"}, \"label\": {\"type\": \"string\"},"
    "       \"color\": {\"type\": \"string\", \"pattern\": \"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$\"}}}},"
    "    \"options\": {\"type\": \"object\"},"
    "    \"drill\": {\"type\": \"object\", \"required\": [\"scene\", \"params\"],"
    "       \"additionalProperties\": false, \"patternProperties\": {\"^_\": {}}, \"properties\": {"
    "       \"scene\": {\"type\": \"string\", \"pattern\": \"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$\"},"
    "       \"params\": {\"type\": \"object\", \"minProperties\": 1,"
    "                  \"additionalProperties\": {\"type\": \"string\"}},"
    "       \"label\": {\"type\": \"string\"}}}},"
    "    \"allOf\": []}}}}";

static const char binding_schema[] =
    "{\"type\": \"object\", \"required\": [\"source\", \"fields\"],"
    " \"additionalProperties\": false, \"properties\": {"
    " \"source\": {\"type\": \"string\"},"
    " \"filter\": {\"type\": \"object\", \"additionalProperties\": {\"oneOf\": ["
    "   {\"type\": [\"string\", \"number\"]},"
    "   {\"type\": \"array\", \"minItems\": 1, \"items\": {\"type\": [\"string\", \"number\"]}},"
    "   {\"type\": \"object\", \"required\": [\"within\"], \"additionalProperties\": false,"
    "    \"properties\": {\"within\": {\"oneOf\": [{\"type\": \"string\"},"
    "     {\"type\": \"array\", \"minItems\": 1, \"items\": {\"type\": \"string\"}}]}}}]}},"
    " \"fields\": {\"type\": \"object\", \"additionalProperties\": false},"
    " \"group_by\": {\"type\": \"string\"}, \"sort\": {\"type\": \"string\"},"
    " \"limit\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 100000},"
    " \"refresh\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 86400}}}";

static json_t *scene_schema(void)
{
    json_error_t je;
    json_t *schema = json_loads(base_schema, 0, &je);
    if (!schema) {
        fprintf(stderr, "lotuswall: built-in schema: %d:%d: %s\n", je.line, je.column, je.text);
        return NULL;
    }
    json_t *item = json_object_get(
        json_object_get(json_object_get(schema, "properties"), "panels"), "items");
    json_t *names = json_object_get(
        json_object_get(json_object_get(item, "properties"), "widget"), "enum");
    json_t *variants = json_object_get(item, "allOf");
    for (const struct widget_class *const *w = widget_classes; *w; w++) {
        const struct widget_spec *s = &(*w)->spec;
        json_array_append_new(names, json_string(s->name));
        json_t *binding = json_loads(binding_schema, 0, NULL);
        json_t *fields = json_object_get(json_object_get(binding, "properties"), "fields");
        json_t *roles = json_object(), *required = json_array();
        for (const struct role_spec *r = s->roles; r && r->name; r++) {
            json_object_set_new(roles, r->name, json_pack("{s:s}", "type", "string"));
            if (r->required)
                json_array_append_new(required, json_string(r->name));
        }
        json_object_set_new(fields, "properties", roles);
        json_object_set_new(fields, "required", required);
        json_t *opts = json_object();
        for (const struct prop_spec *p = s->props; p && p->name; p++)
            json_object_set_new(opts, p->name, prop_schema(p));
        json_t *then_props = json_object();
        json_object_set_new(then_props, "binding", binding);
        json_object_set_new(then_props, "options",
                            json_pack("{s:s, s:o, s:{s:{}}, s:b}", "type", "object", "properties",
                                      opts, "patternProperties", "^_", "additionalProperties", 0));
        json_t *then = json_pack("{s:o}", "properties", then_props);
        if (s->needs_data)
            json_object_set_new(then, "required", json_pack("[s]", "binding"));
        json_array_append_new(variants,
                              json_pack("{s:{s:{s:{s:s}}}, s:o}", "if", "properties", "widget",
                                        "const", s->name, "then", then));
    }
    return schema;
}

int cmd_doc(struct opts *o, int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "widgets") == 0) {
        print_widgets();
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "schema") == 0) {
        json_t *s = scene_schema();
        if (!s)
            return 1;
        json_dumpf(s, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(s);
        return 0;
    }
    fprintf(stderr, "usage: lotuswall doc widgets|schema\n");
    return 2;
}
