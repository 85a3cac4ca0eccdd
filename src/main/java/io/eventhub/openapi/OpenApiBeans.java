package io.eventhub.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;

/**
 * The API's description (routes/openapi-api.camel.yaml): {@code openApiDocument} answers {@code GET
 * /api/openapi.json}, {@code apiDocs} serves Swagger UI at {@code /api/docs}.
 */
public final class OpenApiBeans {

  private OpenApiBeans() {}

  public static void bind(CamelContext context) {
    context.getRegistry().bind("openApiDocument", new OpenApiDocument(context, new ObjectMapper()));
    context.getRegistry().bind("apiDocs", new ApiDocs());
  }
}
