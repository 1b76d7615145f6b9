from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unique_id(context, prefix: str) -> str:
    """An id no other element of the page has: `{% unique_id "table" as table_id %}`.

    Counted per request (or per rendering without one), so a fragment rendered in a loop or in
    several includes never repeats an id that a label points to.
    """
    holder = context.get("request")
    if holder is None:
        holder = context.render_context.dicts[0]
        count = holder.get("_unique_ids", 0) + 1
        holder["_unique_ids"] = count
    else:
        count = getattr(holder, "_unique_ids", 0) + 1
        holder._unique_ids = count
    return f"{prefix}-{count}"
