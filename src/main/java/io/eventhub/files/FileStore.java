package io.eventhub.files;

import java.io.IOException;
import java.util.Optional;

/**
 * Where file contents live, under keys the hub makes ({@code <fileId>/original}, {@code
 * <fileId>/thumbnail-128}); a client's file name never becomes part of a key.
 */
public interface FileStore {

  void put(String key, byte[] content) throws IOException;

  Optional<byte[]> get(String key) throws IOException;
}
