// Mentorgraph's GraphiQL: queries go to this page's own URL (/graphql) with the headers pane's headers.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: "headers",
      defaultQuery: "{ me { name timeZone } }\n",
      defaultHeaders: '{"Authorization": "Bearer <paste a token from `mentorgraph token`>"}',
      shouldPersistHeaders: false,
    })
  );
})();
