package io.eventhub.delivery;

import static io.eventhub.persistence.SqlFiles.sql;

import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The inbox: which events a service has already handled, keyed by (service, event id) in the {@code
 * inbox} table (in the data source named {@code dataSource} unless one is set). Used by the
 * idempotent consumer EIP so a redelivered event has no second effect. Routes whose effect is in
 * the database claim the same row in their own transaction, with the same SQL file (sql/inbox/).
 */
public class InboxRepository extends ServiceSupport
    implements IdempotentRepository, CamelContextAware {

  private CamelContext camelContext;
  private DataSource dataSource;
  private String service;
  private NamedParameterJdbcTemplate jdbc;

  public InboxRepository() {}

  public InboxRepository(DataSource dataSource, String service) {
    this.dataSource = dataSource;
    this.service = service;
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
  }

  public void setDataSource(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public void setService(String service) {
    this.service = service;
  }

  public String getService() {
    return service;
  }

  @Override
  public boolean add(String eventId) {
    return jdbc.update(sql("inbox/claim"), row(eventId)) == 1;
  }

  @Override
  public boolean contains(String eventId) {
    Long rows = jdbc.queryForObject(sql("inbox/contains"), row(eventId), Long.class);
    return rows != null && rows > 0;
  }

  @Override
  public boolean remove(String eventId) {
    return jdbc.update(sql("inbox/remove"), row(eventId)) == 1;
  }

  private Map<String, Object> row(String eventId) {
    return Map.of("service", service, "eventId", eventId);
  }

  @Override
  public boolean confirm(String eventId) {
    return true;
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException("the inbox is never cleared by a route");
  }

  @Override
  public CamelContext getCamelContext() {
    return camelContext;
  }

  @Override
  public void setCamelContext(CamelContext camelContext) {
    this.camelContext = camelContext;
  }

  /** Without a data source set, the inbox uses the bean named {@code dataSource}. */
  @Override
  protected void doStart() {
    if (dataSource == null && camelContext != null) {
      dataSource = camelContext.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }
    if (dataSource == null || service == null) {
      throw new IllegalStateException("an inbox needs a dataSource and a service name");
    }
    jdbc = new NamedParameterJdbcTemplate(dataSource);
  }
}
