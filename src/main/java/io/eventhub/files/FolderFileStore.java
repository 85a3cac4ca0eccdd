package io.eventhub.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link FileStore} in a folder ({@code hub.files.dir}). Keys are the hub's own (letters, digits,
 * dashes and one slash); anything else is refused, so no key leaves the folder. A file is written
 * to a temporary name and moved into place, so a reader never sees half of it.
 */
public class FolderFileStore implements FileStore {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{1,100}(/[A-Za-z0-9.-]{1,100})?");

  private final Path root;

  public FolderFileStore(Path root) throws IOException {
    this.root = Files.createDirectories(root).toAbsolutePath().normalize();
  }

  @Override
  public void put(String key, byte[] content) throws IOException {
    Path target = resolve(key);
    Files.createDirectories(target.getParent());
    Path partial = Files.createTempFile(target.getParent(), "partial-", ".tmp");
    Files.write(partial, content);
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public Optional<byte[]> get(String key) throws IOException {
    if (!KEY.matcher(key).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(resolve(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private Path resolve(String key) {
    if (!KEY.matcher(key).matches() || key.contains("..")) {
      throw new IllegalArgumentException("not a store key");
    }
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("not a store key");
    }
    return path;
  }
}
