"""What Slack sends and how planbot answers it: the Bolt app, the Web API client, the
request checks, markup, the HTTP server and the listeners."""
