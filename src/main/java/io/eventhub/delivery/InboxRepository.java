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
 * The inbox: which events a service has already handled, keyed by (service, source, event id) in
 * the {@code inbox} table (in the data source named {@code dataSource} unless one is set). Used by
 * the idempotent consumer EIP so a redelivered event has no second effect; its key is the event's
 * {@link EventIdentity#key} (source and id), stored as two columns. Routes whose effect is in the
 * database claim the same row in their own transaction, with the same SQL file (sql/inbox/).
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

  /** Claims the event; false when the service had it already. */
  @Override
  public boolean add(String eventKey) {
    return jdbc.update(sql("inbox/claim"), row(eventKey)) == 1;
  }

  /** Claims several events in one round trip (a JDBC batch, one commit): intake's batch mode. */
  public void addAll(java.util.Collection<String> eventKeys) {
    jdbc.batchUpdate(sql("inbox/claim"), eventKeys.stream().map(this::row).toArray(Map[]::new));
  }

  @Override
  public boolean contains(String eventKey) {
    Long rows = jdbc.queryForObject(sql("inbox/contains"), row(eventKey), Long.class);
    return rows != null && rows > 0;
  }

  @Override
  public boolean remove(String eventKey) {
    return jdbc.update(sql("inbox/remove"), row(eventKey)) == 1;
  }

  private Map<String, Object> row(String eventKey) {
    EventIdentity.Id event = EventIdentity.parse(eventKey);
    return Map.of("service", service, "source", event.source(), "eventId", event.id());
  }

  @Override
  public boolean confirm(String eventKey) {
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
