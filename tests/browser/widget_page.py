"""Run the figure widget's JavaScript module in a plain page, with the test playing the kernel."""

# Helpers a page function's body may use (see page_function):
#   loadWidget(source)  the widget module's default export; each call evaluates the module anew, as
#                       anywidget does for each widget
#   settle(ms)          a pause
#   showWidget(widget, host, state)
#                       render the widget into ``host`` with a model whose values ``state()`` returns;
#                       gives back ``emit(...events)``, which tells the widget those values changed
WIDGET_PAGE_JS = """
  const loadWidget = async source => (await import(URL.createObjectURL(new Blob([source], {type: 'text/javascript'})))).default;
  const settle = ms => new Promise(resolve => setTimeout(resolve, ms));
  const showWidget = (widget, host, state) => {
    const handlers = {};
    widget.render({el: host, model: {get: key => state()[key], off: () => {},
                                     on: (event, f) => { (handlers[event] = handlers[event] || []).push(f); }}});
    return (...events) => events.forEach(event => (handlers[event] || []).forEach(f => f()));
  };
"""


def page_function(params: str, body: str) -> str:
    """An async page function taking ``params`` whose ``body`` may use the helpers of WIDGET_PAGE_JS."""
    return f"async ({params}) => {{{WIDGET_PAGE_JS}{body}}}"
